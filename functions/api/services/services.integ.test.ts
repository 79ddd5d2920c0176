// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates with ${VAR} placeholders are the subject under test
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_MAX_BYTES } from '../../../shared/contracts/deploy';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { templateDigest } from './service';

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web}',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: shop/web:${IMAGE_TAG}',
  '          env:',
  '            - {name: DB_PASSWORD, value: "${DB_PASSWORD}"}',
  '            - {name: LITERAL, value: "$${NOT_A_VAR} and $${lower}"}',
  '',
].join('\n');
const COMPOSE = 'services:\n  web:\n    image: shop/web:${IMAGE_TAG}\n';

describe.each(await backends())('services on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let a: string;
  let b: string;
  let n = 0;
  const uniq = () => `svc-${++n}`;

  const post = (body: Record<string, unknown>, token = admin) =>
    p.request('POST', '/services', { token, body });
  const patch = (id: string, body: unknown, token = admin) =>
    p.request('PATCH', `/services/${id}`, { token, body });
  const svc = (over: Record<string, unknown> = {}) => ({
    project_id: a,
    name: uniq(),
    k8s_manifest: MANIFEST,
    ...over,
  });
  const fieldsOf = (res: { json: any }) => res.json.error.fields.map((f: { path: string }) => f.path);
  const eventsOf = async (id: string) =>
    (await p.request('GET', `/audit/events?resource_id=${id}`, { token: admin })).json.items as any[];

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
  });
  afterAll(() => p.close());

  it('creates a service and reads it back', async () => {
    const res = await post({
      project_id: a,
      name: 'web',
      k8s_manifest: MANIFEST,
      compose_file: COMPOSE,
      secret_variables: ['DB_PASSWORD'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^svc_/),
      project_id: a,
      name: 'web',
      k8s_manifest: MANIFEST,
      compose_file: COMPOSE,
      secret_variables: ['DB_PASSWORD'],
      description: '',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const got = await p.request('GET', `/services/${res.json.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  it('takes either template alone', async () => {
    const k8sOnly = await post(svc());
    expect(k8sOnly.status, k8sOnly.text).toBe(201);
    expect(k8sOnly.json).toMatchObject({ compose_file: null, secret_variables: [] });
    const composeOnly = await post(svc({ k8s_manifest: undefined, compose_file: COMPOSE }));
    expect(composeOnly.status, composeOnly.text).toBe(201);
    expect(composeOnly.json.k8s_manifest).toBeNull();
  });

  it('lists services of a project, and all visible ones without project_id', async () => {
    const inB = await post(svc({ project_id: b }));
    expect(inB.status).toBe(201);
    const ofA = await p.request('GET', `/services?project_id=${a}&limit=200`, { token: admin });
    expect(ofA.status).toBe(200);
    expect(ofA.json.items.length).toBeGreaterThan(0);
    expect(ofA.json.items.every((s: { project_id: string }) => s.project_id === a)).toBe(true);
    const all = await p.request('GET', '/services?limit=200', { token: admin });
    expect(all.json.items.map((s: { id: string }) => s.id)).toContain(inB.json.id);
  });

  it('keeps a description of up to 2,000 characters, refusing one more with 422', async () => {
    const text = `Checkout front end; owned by the shop team.\n${'x'.repeat(2000 - 44)}`;
    expect(text).toHaveLength(2000);
    const res = await post(svc({ description: text }));
    expect(res.status, res.text).toBe(201);
    expect(res.json.description).toBe(text);
    expect((await p.request('GET', `/services/${res.json.id}`, { token: admin })).json.description).toBe(
      text,
    );
    const long = await post(svc({ description: `${text}y` }));
    expect(long.status).toBe(422);
    expect(fieldsOf(long)).toEqual(['description']);
  });

  it('changes a description with PATCH and audits that it changed, not its text', async () => {
    const res = await post(svc());
    expect(res.json.description).toBe('');
    const changed = await patch(res.json.id, { description: 'payments, ask #team-pay' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.description).toBe('payments, ask #team-pay');
    const updated = (await eventsOf(res.json.id)).filter((e) => e.action === 'service.updated');
    expect(updated.map((e) => e.detail.changed)).toEqual([['description']]);
    expect(JSON.stringify(updated)).not.toContain('team-pay');
    expect((await patch(res.json.id, { description: 'z'.repeat(2001) })).status).toBe(422);
  });

  it('answers 404 for an unknown service', async () => {
    expect((await p.request('GET', '/services/svc_nothing', { token: admin })).status).toBe(404);
    expect((await patch('svc_nothing', { secret_variables: [] })).status).toBe(404);
  });

  it.each([
    ['no template at all', () => svc({ k8s_manifest: undefined }), ['k8s_manifest', 'compose_file']],
    ['an empty template', () => svc({ k8s_manifest: '' }), ['k8s_manifest']],
    ['a lower-case placeholder', () => svc({ k8s_manifest: 'image: web:${lower}\n' }), ['k8s_manifest']],
    ['an empty placeholder', () => svc({ k8s_manifest: 'image: web:${}\n' }), ['k8s_manifest']],
    ['a placeholder starting with a digit', () => svc({ k8s_manifest: 'a: ${1X}\n' }), ['k8s_manifest']],
    [
      'an unclosed placeholder',
      () => svc({ k8s_manifest: undefined, compose_file: 'image: web:${TAG\n' }),
      ['compose_file'],
    ],
    [
      'bad placeholders in both templates',
      () => svc({ k8s_manifest: 'a: ${a-b}\n', compose_file: 'b: ${\n' }),
      ['k8s_manifest', 'compose_file'],
    ],
    [
      'a secret variable that is no name',
      () => svc({ secret_variables: ['OK', 'db-password'] }),
      ['secret_variables[1]'],
    ],
    [
      'a secret variable listed twice',
      () => svc({ secret_variables: ['A', 'B', 'A'] }),
      ['secret_variables[2]'],
    ],
    ['a bad name', () => svc({ name: 'Web' }), ['name']],
    ['an unknown field', () => svc({ helm_chart: 'x' }), ['helm_chart']],
    ['an unknown project', () => svc({ project_id: 'prj_nothing' }), ['project_id']],
  ] as const)('refuses %s with 422 naming the field', async (_what, body, paths) => {
    const res = await post(body());
    expect(res.status, res.text).toBe(422);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(paths);
  });

  it('names the line of a malformed placeholder', async () => {
    const res = await post(svc({ k8s_manifest: 'a: 1\nb: ${lower}\n' }));
    expect(res.json.error.fields[0].message).toContain('line 2');
  });

  it('takes a template of exactly 512 KiB and refuses one byte more with 413', async () => {
    const exact = await post(svc({ k8s_manifest: `#${'a'.repeat(TEMPLATE_MAX_BYTES - 1)}` }));
    expect(exact.status, exact.text.slice(0, 200)).toBe(201);
    const over = await post(svc({ k8s_manifest: `#${'a'.repeat(TEMPLATE_MAX_BYTES)}` }));
    expect(over.status).toBe(413);
    expect(over.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(fieldsOf(over)).toEqual(['k8s_manifest']);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    // 2 bytes each: half as many characters already exceed the limit.
    const res = await post(
      svc({ k8s_manifest: undefined, compose_file: 'é'.repeat(TEMPLATE_MAX_BYTES / 2 + 1) }),
    );
    expect(res.status).toBe(413);
    expect(fieldsOf(res)).toEqual(['compose_file']);
  });

  it('answers 413 for an oversized template even when something else is wrong too', async () => {
    const res = await post(
      svc({ name: 'Bad Name', k8s_manifest: `\${lower}${'a'.repeat(TEMPLATE_MAX_BYTES)}` }),
    );
    expect(res.status).toBe(413);
  });

  it('refuses a second service of the same name in a project with 409, but not in another', async () => {
    expect((await post(svc({ name: 'twice' }))).status).toBe(201);
    const again = await post(svc({ name: 'twice' }));
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('ALREADY_EXISTS');
    expect(fieldsOf(again)).toEqual(['name']);
    expect((await post(svc({ name: 'twice', project_id: b }))).status).toBe(201);
  });

  it('patches templates and secret variables and audits which fields changed, not their text', async () => {
    const created = await post(svc({ secret_variables: ['DB_PASSWORD'] }));
    const id = created.json.id as string;
    p.clock.advance(1000);
    const newCompose = 'services:\n  web:\n    environment: {PASSWORD: hunter2-literal}\n';
    const res = await patch(id, { compose_file: newCompose, secret_variables: ['DB_PASSWORD', 'API_KEY'] });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id,
      k8s_manifest: MANIFEST,
      compose_file: newCompose,
      secret_variables: ['DB_PASSWORD', 'API_KEY'],
      created_at: created.json.created_at,
    });
    expect(res.json.updated_at).not.toBe(created.json.updated_at);
    expect((await p.request('GET', `/services/${id}`, { token: admin })).json).toEqual(res.json);

    const events = await eventsOf(id);
    expect(events.map((e) => e.action)).toEqual(['service.created', 'service.updated']);
    const updated = events[1];
    expect(updated).toMatchObject({ resource_type: 'service', project_id: a, source: 'api' });
    expect(updated.detail).toEqual({
      changed: ['compose_file', 'secret_variables'],
      compose_file_digest: { from: null, to: templateDigest(newCompose) },
      secret_variables: { from: ['DB_PASSWORD'], to: ['DB_PASSWORD', 'API_KEY'] },
    });
    const audit = JSON.stringify(events);
    expect(audit).not.toContain('hunter2-literal');
    expect(audit).not.toContain('shop/web');
    expect(events[0].detail).toEqual({
      name: created.json.name,
      k8s_manifest_digest: templateDigest(MANIFEST),
      compose_file_digest: null,
      secret_variables: ['DB_PASSWORD'],
    });
  });

  it('removes a template with null, but never the last one', async () => {
    const id = (await post(svc({ compose_file: COMPOSE }))).json.id as string;
    const removed = await patch(id, { k8s_manifest: null });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json.k8s_manifest).toBeNull();
    const last = await patch(id, { compose_file: null });
    expect(last.status).toBe(422);
    expect(fieldsOf(last)).toEqual(['k8s_manifest', 'compose_file']);
    expect((await p.request('GET', `/services/${id}`, { token: admin })).json.compose_file).toBe(COMPOSE);
    expect((await eventsOf(id)).map((e) => e.action)).toEqual(['service.created', 'service.updated']);
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const created = await post(svc());
    const res = await patch(created.json.id, { k8s_manifest: MANIFEST, secret_variables: [] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created.json);
    expect((await eventsOf(created.json.id)).map((e) => e.action)).toEqual(['service.created']);
  });

  it.each([
    ['an empty patch', {}, ['(root)']],
    ['a malformed placeholder', { k8s_manifest: 'x: ${x}\n' }, ['k8s_manifest']],
    ['a secret variable listed twice', { secret_variables: ['A', 'A'] }, ['secret_variables[1]']],
    ['a name that is not one', { name: 'Not A Name' }, ['name']],
    ['a move to another project', { project_id: 'prj_other' }, ['project_id']],
  ] as const)('refuses %s in a PATCH with 422', async (_what, body, paths) => {
    const id = (await post(svc())).json.id;
    const res = await patch(id, body);
    expect(res.status, res.text).toBe(422);
    expect(fieldsOf(res)).toEqual(paths);
  });

  it('refuses an oversized template in a PATCH with 413', async () => {
    const id = (await post(svc())).json.id;
    const res = await patch(id, { compose_file: 'x'.repeat(TEMPLATE_MAX_BYTES + 1) });
    expect(res.status).toBe(413);
    expect(fieldsOf(res)).toEqual(['compose_file']);
    expect((await eventsOf(id)).map((e) => e.action)).toEqual(['service.created']);
  });

  it('lets a deployer of project A write services there and nowhere else', async () => {
    const u = await p.userWithRole('deployer', a);
    const mine = await post(svc(), u.token);
    expect(mine.status).toBe(201);
    expect((await patch(mine.json.id, { secret_variables: ['X'] }, u.token)).status).toBe(200);
    const there = await post(svc({ project_id: b }), u.token);
    expect(there.status).toBe(403);
    expect(there.json.error.message).toContain('service:write');
    const inB = (await post(svc({ project_id: b }))).json.id;
    const patchB = await patch(inB, { secret_variables: ['X'] }, u.token);
    expect(patchB.status).toBe(403);
    expect(patchB.json.error.message).toContain('service:write');
  });

  it('lets a viewer read but not write', async () => {
    const u = await p.userWithRole('viewer', a);
    const res = await post(svc(), u.token);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('service:write');
    const id = (await post(svc())).json.id;
    expect((await patch(id, { secret_variables: [] }, u.token)).status).toBe(403);
    expect((await p.request('GET', `/services/${id}`, { token: u.token })).status).toBe(200);
    const list = await p.request('GET', '/services?limit=200', { token: u.token });
    expect(list.status).toBe(200);
    expect(list.json.items.every((s: { project_id: string }) => s.project_id === a)).toBe(true);
    expect((await p.request('GET', `/services?project_id=${b}`, { token: u.token })).status).toBe(403);
  });
});
