import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { clusters, credentials, hosts } from '../../platform/db/schema';
import { newId } from '../../platform/ids';

/** Clusters and hosts are written directly: only their ids and projects matter to a target. */
async function seedCredential(p: TestPlatform, projectId: string) {
  const now = p.clock.now();
  const id = newId('cred');
  await p.deps.database.db.insert(credentials).values({
    id,
    projectId,
    name: `cred-${id.slice(-8)}`,
    kind: 'token',
    metadata: {},
    envelope: { v: 1, alg: 'test', ciphertext: '', nonce: '', tag: '', wrapped_key: '', key_id: 'test' },
    createdBy: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
  return id;
}

async function seedCluster(p: TestPlatform, projectId: string) {
  const now = p.clock.now();
  const id = newId('cls');
  await p.deps.database.db.insert(clusters).values({
    id,
    projectId,
    name: `cluster-${id.slice(-8)}`,
    clusterSource: 'external_managed',
    mode: 'token',
    server: 'https://10.0.0.1:6443',
    credentialId: await seedCredential(p, projectId),
    runnerPoolId: null,
    metadata: {},
    lastTest: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

async function seedHost(p: TestPlatform, projectId: string) {
  const now = p.clock.now();
  const id = newId('hst');
  await p.deps.database.db.insert(hosts).values({
    id,
    projectId,
    name: `host-${id.slice(-8)}`,
    address: '10.0.0.2',
    port: 22,
    username: 'deploy',
    credentialId: await seedCredential(p, projectId),
    runnerPoolId: null,
    hostKeyFingerprint: null,
    hostKeyPinnedAt: null,
    lastTest: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

describe.each(await backends())('deploy targets on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let a: string;
  let b: string;
  let envA: string;
  let envB: string;
  let clusterA: string;
  let clusterB: string;
  let hostsA: string[];
  let hostB: string;
  let n = 0;
  const uniq = (prefix: string) => `${prefix}-${++n}`;

  const post = (body: Record<string, unknown>, token = admin) =>
    p.request('POST', '/deploy/targets', { token, body });
  const k8s = (over: Record<string, unknown> = {}) => ({
    project_id: a,
    environment_id: envA,
    name: uniq('k8s'),
    runtime_type: 'k8s',
    cluster_id: clusterA,
    namespace: 'shop',
    ...over,
  });
  const compose = (over: Record<string, unknown> = {}) => ({
    project_id: a,
    environment_id: envA,
    name: uniq('compose'),
    runtime_type: 'compose',
    host_ids: hostsA.slice(0, 2),
    compose_project: 'shop_web',
    ...over,
  });
  const fieldsOf = (res: { json: any }) => res.json.error.fields.map((f: { path: string }) => f.path);

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
    const env = async (project_id: string) =>
      (
        await p.request('POST', '/environments', {
          token: admin,
          body: { project_id, name: 'stage', tier: 'staging' },
        })
      ).json.id as string;
    envA = await env(a);
    envB = await env(b);
    clusterA = await seedCluster(p, a);
    clusterB = await seedCluster(p, b);
    hostsA = [];
    for (let i = 0; i < 21; i++) hostsA.push(await seedHost(p, a));
    hostB = await seedHost(p, b);
  });
  afterAll(() => p.close());

  it('creates a k8s target and reads it back', async () => {
    const res = await post(k8s({ name: 'shop-k8s' }));
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^tgt_/),
      project_id: a,
      environment_id: envA,
      name: 'shop-k8s',
      runtime_type: 'k8s',
      cluster_id: clusterA,
      namespace: 'shop',
      host_ids: [],
      compose_project: null,
      applied_release_id: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const got = await p.request('GET', `/deploy/targets/${res.json.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  it('creates a compose target with its hosts in order', async () => {
    const ids = [hostsA[3]!, hostsA[1]!, hostsA[2]!];
    const res = await post(compose({ name: 'shop-compose', host_ids: ids, compose_project: 'shop-web_1' }));
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      runtime_type: 'compose',
      cluster_id: null,
      namespace: null,
      host_ids: ids,
      compose_project: 'shop-web_1',
    });
  });

  it('accepts exactly 20 hosts', async () => {
    const res = await post(compose({ host_ids: hostsA.slice(0, 20) }));
    expect(res.status, res.text).toBe(201);
    expect(res.json.host_ids).toHaveLength(20);
  });

  it('lists targets filtered by project, environment and runtime', async () => {
    const inB = await post(k8s({ project_id: b, environment_id: envB, cluster_id: clusterB }));
    expect(inB.status).toBe(201);
    const all = await p.request('GET', '/deploy/targets?limit=200', { token: admin });
    expect(all.status).toBe(200);
    expect(all.json.items.map((t: { id: string }) => t.id)).toContain(inB.json.id);

    const composeOnly = await p.request('GET', `/deploy/targets?project_id=${a}&runtime_type=compose`, {
      token: admin,
    });
    expect(composeOnly.status).toBe(200);
    expect(composeOnly.json.items.length).toBeGreaterThan(0);
    expect(
      composeOnly.json.items.every(
        (t: { runtime_type: string; project_id: string }) =>
          t.runtime_type === 'compose' && t.project_id === a,
      ),
    ).toBe(true);

    const byEnv = await p.request('GET', `/deploy/targets?environment_id=${envB}`, { token: admin });
    expect(byEnv.json.items.map((t: { id: string }) => t.id)).toEqual([inB.json.id]);

    const bad = await p.request('GET', '/deploy/targets?runtime_type=swarm', { token: admin });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toEqual(['runtime_type']);
  });

  it('pages the list with a cursor', async () => {
    const first = await p.request('GET', `/deploy/targets?project_id=${a}&limit=1`, { token: admin });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.next_cursor).toEqual(expect.any(String));
    const second = await p.request(
      'GET',
      `/deploy/targets?project_id=${a}&limit=1&cursor=${first.json.next_cursor}`,
      { token: admin },
    );
    expect(second.json.items).toHaveLength(1);
    expect(second.json.items[0].id > first.json.items[0].id).toBe(true);
  });

  const patch = (id: string, body: Record<string, unknown>) =>
    p.request('PATCH', `/deploy/targets/${id}`, { token: admin, body });
  const del = (id: string) => p.request('DELETE', `/deploy/targets/${id}`, { token: admin });

  it('renames and repoints a target within its runtime, and audits the change', async () => {
    const t = (await post(compose())).json;
    const res = await patch(t.id, { name: 'moved', host_ids: [hostsA[5]], compose_project: 'other' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id: t.id,
      name: 'moved',
      host_ids: [hostsA[5]],
      compose_project: 'other',
    });
    const read = await p.request('GET', `/deploy/targets/${t.id}`, { token: admin });
    expect(read.json.host_ids).toEqual([hostsA[5]]);
    const ev = await p.request('GET', `/audit/events?project_id=${a}&action=target.updated`, {
      token: admin,
    });
    expect(ev.json.items.map((e: { resource_id: string }) => e.resource_id)).toContain(t.id);
  });

  it('refuses a bad target patch with 422 naming each field, an unknown target with 404', async () => {
    const t = (await post(k8s())).json;
    const res = await patch(t.id, { host_ids: [hostsA[0]], cluster_id: clusterB, namespace: 'Bad_NS' });
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toContain('namespace');
    const refs = await patch(t.id, { host_ids: [hostsA[0]], cluster_id: clusterB });
    expect(refs.status).toBe(422);
    expect(fieldsOf(refs).sort()).toEqual(['cluster_id', 'host_ids']);
    expect((await patch(t.id, { runtime_type: 'compose' })).status).toBe(422);
    expect((await patch('tgt_nothing', { name: 'x' })).status).toBe(404);
  });

  it('deletes a target: gone from the list and by id, a second delete is 404', async () => {
    const t = (await post(k8s())).json;
    expect((await del(t.id)).status).toBe(204);
    expect((await p.request('GET', `/deploy/targets/${t.id}`, { token: admin })).status).toBe(404);
    const list = await p.request('GET', `/deploy/targets?project_id=${a}&limit=200`, { token: admin });
    expect(list.json.items.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await del(t.id)).status).toBe(404);
    expect((await patch(t.id, { name: 'back' })).status).toBe(404);
  });

  it('refuses to repoint or delete a target with a pending release (409 IN_USE), renames it, and previews no deleted target', async () => {
    const f = await governanceFixture(p, 'tgt-gov');
    const deployer = await p.userWithRole('deployer', f.project);
    const preview = (target: string) =>
      p.request('POST', '/deploy/releases/preview', {
        token: deployer.token,
        body: { service_id: f.serviceId, target_id: target, variables: composeVars('3.0') },
      });
    const pv = await preview(f.targets.prodCompose);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.json.lifecycle_state, ap.text).toBe('pending_approval');
    const gone = await p.request('DELETE', `/deploy/targets/${f.targets.prodCompose}`, { token: admin });
    expect(gone.status).toBe(409);
    expect(gone.json.error.code).toBe('IN_USE');
    expect(gone.json.error.message).toContain('1 unfinished release(s)');
    const moved = await patch(f.targets.prodCompose, { compose_project: 'elsewhere' });
    expect(moved.status).toBe(409);
    expect((await patch(f.targets.prodCompose, { name: 'prod-renamed' })).status).toBe(200);
    // The release still renders.
    const rel = await p.request('GET', `/deploy/releases/${ap.json.id}`, { token: admin });
    expect(rel.status).toBe(200);

    expect(
      (await p.request('DELETE', `/deploy/targets/${f.targets.devCompose}`, { token: admin })).status,
    ).toBe(204);
    // A deleted target is refused like one that never existed.
    const late = await preview(f.targets.devCompose);
    const unknown = await preview('tgt_nothing');
    expect([late.status, late.json.error.fields]).toEqual([unknown.status, unknown.json.error.fields]);
    expect(late.status).toBe(422);
  });

  it('lets only target:write change or delete a target', async () => {
    const t = (await post(k8s())).json;
    const viewer = await p.userWithRole('viewer', a);
    expect(
      (await p.request('PATCH', `/deploy/targets/${t.id}`, { token: viewer.token, body: { name: 'x' } }))
        .status,
    ).toBe(403);
    expect((await p.request('DELETE', `/deploy/targets/${t.id}`, { token: viewer.token })).status).toBe(403);
  });

  it('answers 404 for an unknown target', async () => {
    const res = await p.request('GET', '/deploy/targets/tgt_nothing', { token: admin });
    expect(res.status).toBe(404);
  });

  it.each([
    ['an environment of another project', () => k8s({ environment_id: envB }), ['environment_id']],
    ['an unknown environment', () => k8s({ environment_id: 'env_nothing' }), ['environment_id']],
    ['a k8s target without cluster', () => k8s({ cluster_id: undefined }), ['cluster_id']],
    ['a k8s target without namespace', () => k8s({ namespace: undefined }), ['namespace']],
    ['a namespace that is no DNS-1123 label', () => k8s({ namespace: 'Shop_NS' }), ['namespace']],
    ['a namespace ending in "-"', () => k8s({ namespace: 'shop-' }), ['namespace']],
    ['a namespace over 63 characters', () => k8s({ namespace: 'n'.repeat(64) }), ['namespace']],
    ['a cluster of another project', () => k8s({ cluster_id: clusterB }), ['cluster_id']],
    ['an unknown cluster', () => k8s({ cluster_id: 'cls_nothing' }), ['cluster_id']],
    ['a k8s target with hosts', () => k8s({ host_ids: [hostsA[0]] }), ['host_ids']],
    ['a k8s target with a compose project', () => k8s({ compose_project: 'x' }), ['compose_project']],
    ['a compose target without hosts', () => compose({ host_ids: undefined }), ['host_ids']],
    ['a compose target with no hosts', () => compose({ host_ids: [] }), ['host_ids']],
    ['a compose target with 21 hosts', () => compose({ host_ids: hostsA.slice(0, 21) }), ['host_ids']],
    ['a host listed twice', () => compose({ host_ids: [hostsA[0], hostsA[1], hostsA[0]] }), ['host_ids[2]']],
    ['a host of another project', () => compose({ host_ids: [hostsA[0], hostB] }), ['host_ids[1]']],
    [
      'unknown hosts',
      () => compose({ host_ids: ['hst_nothing', hostsA[0], 'hst_none'] }),
      ['host_ids[0]', 'host_ids[2]'],
    ],
    [
      'a compose target without project name',
      () => compose({ compose_project: undefined }),
      ['compose_project'],
    ],
    ['a compose project with capitals', () => compose({ compose_project: 'Shop' }), ['compose_project']],
    ['a compose project starting with "-"', () => compose({ compose_project: '-shop' }), ['compose_project']],
    ['a compose project with a dot', () => compose({ compose_project: 'shop.web' }), ['compose_project']],
    [
      'a compose project over 63 characters',
      () => compose({ compose_project: 'c'.repeat(64) }),
      ['compose_project'],
    ],
    ['a compose target with a cluster', () => compose({ cluster_id: clusterA }), ['cluster_id']],
    ['a compose target with a namespace', () => compose({ namespace: 'shop' }), ['namespace']],
    ['an unknown runtime', () => k8s({ runtime_type: 'swarm' }), ['runtime_type']],
    ['a bad name', () => k8s({ name: 'Shop Web' }), ['name']],
    ['an unknown field', () => k8s({ replicas: 3 }), ['replicas']],
    ['an unknown project', () => k8s({ project_id: 'prj_nothing' }), ['project_id']],
  ] as const)('refuses %s with 422 naming the field', async (_what, body, paths) => {
    const res = await post(body());
    expect(res.status, res.text).toBe(422);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(paths);
  });

  it('reports every bad reference at once', async () => {
    const res = await post(k8s({ environment_id: envB, cluster_id: clusterB }));
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['environment_id', 'cluster_id']);
  });

  it('refuses a second target of the same name in a project with 409, but not in another', async () => {
    const body = k8s({ name: 'twice' });
    expect((await post(body)).status).toBe(201);
    const again = await post(compose({ name: 'twice' }));
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('ALREADY_EXISTS');
    expect(fieldsOf(again)).toEqual(['name']);
    const elsewhere = await post(
      k8s({ name: 'twice', project_id: b, environment_id: envB, cluster_id: clusterB }),
    );
    expect(elsewhere.status).toBe(201);
  });

  it('lets a deployer of project A create targets there and nowhere else', async () => {
    const u = await p.userWithRole('deployer', a);
    expect((await post(k8s(), u.token)).status).toBe(201);
    const there = await post(k8s({ project_id: b, environment_id: envB, cluster_id: clusterB }), u.token);
    expect(there.status).toBe(403);
    expect(there.json.error.message).toContain('target:write');
  });

  it('refuses a viewer to create, and lets it read only its project', async () => {
    const u = await p.userWithRole('viewer', a);
    const res = await post(k8s(), u.token);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('target:write');
    // Malformed body: still 403, the viewer learns nothing about the schema.
    expect((await post({ name: 1 }, u.token)).status).toBe(403);

    const list = await p.request('GET', '/deploy/targets?limit=200', { token: u.token });
    expect(list.status).toBe(200);
    expect(list.json.items.length).toBeGreaterThan(0);
    expect(list.json.items.every((t: { project_id: string }) => t.project_id === a)).toBe(true);
    expect((await p.request('GET', `/deploy/targets?project_id=${b}`, { token: u.token })).status).toBe(403);
    const inB = (await p.request('GET', `/deploy/targets?project_id=${b}`, { token: admin })).json.items[0];
    expect((await p.request('GET', `/deploy/targets/${inB.id}`, { token: u.token })).status).toBe(403);
  });

  it('writes target.created with the change, and nothing for a refused create', async () => {
    const res = await post(compose({ name: 'audited', compose_project: 'audited' }));
    expect(res.status).toBe(201);
    const events = await p.request('GET', `/audit/events?resource_id=${res.json.id}`, { token: admin });
    expect(events.status).toBe(200);
    expect(events.json.items).toEqual([
      expect.objectContaining({
        action: 'target.created',
        resource_type: 'target',
        resource_id: res.json.id,
        project_id: a,
        environment_id: envA,
        source: 'api',
        detail: {
          name: 'audited',
          runtime_type: 'compose',
          host_ids: res.json.host_ids,
          compose_project: 'audited',
        },
      }),
    ]);

    const count = async () =>
      (await p.request('GET', '/audit/events?action=target.created&limit=500', { token: admin })).json.items
        .length;
    const before = await count();
    expect((await post(compose({ name: 'audited' }))).status).toBe(409);
    expect((await post(compose({ host_ids: [hostB] }))).status).toBe(422);
    expect(await count()).toBe(before);
  });
});
