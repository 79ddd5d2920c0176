import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import type { JobRow } from '../jobs/repo';
import { buildWorkOrder } from '../runners/work-order';
import { pinHostKey } from './service';

const KEY_A = `SHA256:${'A'.repeat(42)}Q`;
const KEY_B = `SHA256:${'b'.repeat(42)}8`;

describe.each(await backends())('hosts on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let a: string;
  let b: string;
  let sshKey: string;
  let sshPassword: string;
  let token: string;
  let theirs: string;
  let viewer: { token: string };

  beforeAll(async () => {
    // Material first: the platform's clock must not start before the test certificates' notBefore.
    m = makeMaterial();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
    const cred = async (project: string, name: string, kind: string, payload: unknown) =>
      (
        await p.request('POST', '/credentials', {
          token: admin,
          body: { project_id: project, name, kind, payload },
        })
      ).json.id as string;
    sshKey = await cred(a, 'deploy-key', 'ssh_private_key', { private_key: m.plainKey.private_key });
    sshPassword = await cred(a, 'deploy-password', 'ssh_password', { password: m.password() });
    token = await cred(a, 'a-token', 'token', { token: m.token });
    theirs = await cred(b, 'their-key', 'ssh_private_key', { private_key: m.plainKey.private_key });
    viewer = await p.userWithRole('viewer', a);
  });
  afterAll(async () => {
    await p.close();
    m.cleanup();
  });

  let n = 0;
  const create = (body: Record<string, unknown>) =>
    p.request('POST', '/hosts', {
      token: admin,
      body: {
        project_id: a,
        name: `web-${++n}`,
        address: '10.0.0.5',
        username: 'deploy',
        credential_id: sshKey,
        ...body,
      },
    });
  const events = async (resourceId: string) =>
    (await p.request('GET', `/audit/events?resource_id=${resourceId}`, { token: admin })).json.items as {
      action: string;
      detail: Record<string, unknown>;
    }[];
  const fields = (res: { json: any }) => res.json.error.fields.map((f: { path: string }) => f.path);

  it('registers a host with its SSH credential; no key is pinned yet', async () => {
    const res = await create({ address: 'Web-1.Internal.', port: 2222 });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^host_/),
      project_id: a,
      name: `web-${n}`,
      address: 'web-1.internal',
      port: 2222,
      username: 'deploy',
      credential_id: sshKey,
      runner_pool_id: null,
      host_key_fingerprint: null,
      host_key_pinned_at: null,
      last_test: null,
      jump_host_id: null,
      compose: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await p.request('GET', `/hosts/${res.json.id}`, { token: viewer.token })).json).toEqual(res.json);
    expect((await create({ credential_id: sshPassword, address: '[fd12::5]' })).json).toMatchObject({
      address: 'fd12::5',
      port: 22,
    });
    expect((await events(res.json.id)).map((e) => e.action)).toEqual(['host.created']);
  });

  it('refuses a credential that is not an SSH credential of the same project', async () => {
    for (const credential_id of [token, theirs, 'cred_nope']) {
      const res = await create({ credential_id });
      expect(res.status).toBe(422);
      expect(fields(res)).toEqual(['credential_id']);
    }
  });

  it.each([
    ['169.254.169.254', 'address'],
    ['0xa9fea9fe', 'address'],
    ['metadata.google.internal', 'address'],
    ['fe80::1', 'address'],
    ['user@10.0.0.1', 'address'],
    ['-oProxyCommand=sh', 'address'],
  ])('refuses the address %s', async (address, path) => {
    const res = await create({ address });
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual([path]);
  });

  it('accepts no runner pool but null until pools exist, and no duplicate names', async () => {
    expect(fields(await create({ runner_pool_id: 'pool_1' }))).toEqual(['runner_pool_id']);
    expect(fields(await create({ port: 0 }))).toEqual(['port']);
    expect(fields(await create({ username: 'root; rm -rf /' }))).toEqual(['username']);
    const first = await create({ name: 'twin' });
    expect(first.status).toBe(201);
    const second = await create({ name: 'twin' });
    expect([second.status, second.json.error.code]).toEqual([409, 'ALREADY_EXISTS']);
  });

  it('changes a host, checking what changes like a create', async () => {
    const id = (await create({})).json.id;
    const patch = (body: unknown, t = admin) => p.request('PATCH', `/hosts/${id}`, { token: t, body });
    const res = await patch({
      address: '2130706433',
      port: 2200,
      username: 'ops',
      credential_id: sshPassword,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      address: '127.0.0.1',
      port: 2200,
      username: 'ops',
      credential_id: sshPassword,
    });
    expect(fields(await patch({ address: '169.254.1.1' }))).toEqual(['address']);
    expect(fields(await patch({ credential_id: token }))).toEqual(['credential_id']);
    expect(fields(await patch({}))).toEqual(['(root)']);
    expect((await patch({ name: 'web-1' })).status).toBe(409);
    expect((await patch({ port: 22 }, viewer.token)).status).toBe(403);
    expect((await p.request('PATCH', '/hosts/host_nope', { token: admin, body: { port: 22 } })).status).toBe(
      404,
    );
    const updated = (await events(id)).find((e) => e.action === 'host.updated');
    expect(updated?.detail).toMatchObject({ changed: { address: '127.0.0.1', port: 2200 } });
  });

  it('pins the first host key a runner reports, refuses a different one, and resets on the record', async () => {
    const id = (await create({})).json.id;
    const db = p.deps.database.db;
    const pin = (fp: string) => db.transaction((tx) => pinHostKey(tx, p.clock, id, fp));
    expect(await pin(KEY_A)).toEqual({ ok: true, pinned: 'now' });
    expect(await pin(KEY_A)).toEqual({ ok: true, pinned: 'already' });
    expect(await pin(KEY_B)).toEqual({ ok: false, code: 'HOST_KEY_MISMATCH', pinned_fingerprint: KEY_A });
    await expect(pin('md5:aa:bb')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const pinned = await p.request('GET', `/hosts/${id}`, { token: viewer.token });
    expect(pinned.json).toMatchObject({
      host_key_fingerprint: KEY_A,
      host_key_pinned_at: p.clock.now().toISOString(),
    });

    expect((await p.request('POST', `/hosts/${id}/host-key/reset`, { token: viewer.token })).status).toBe(
      403,
    );
    const reset = await p.request('POST', `/hosts/${id}/host-key/reset`, { token: admin });
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ host_key_fingerprint: null, host_key_pinned_at: null });
    expect(await pin(KEY_B)).toEqual({ ok: true, pinned: 'now' });
    const history = (await events(id)).map((e) => [
      e.action,
      e.detail.fingerprint ?? e.detail.old_fingerprint,
    ]);
    expect(history).toEqual([
      ['host.created', undefined],
      ['host.host_key_pinned', KEY_A],
      ['host.host_key_reset', KEY_A],
      ['host.host_key_pinned', KEY_B],
    ]);
  });

  it('connects through a jump host: one hop, same project, pinned; its credential sealed in the work order', async () => {
    const db = p.deps.database.db;
    const bastion = (await create({ name: 'bastion', credential_id: sshPassword })).json.id as string;
    const inner = (await create({ name: 'inner' })).json.id as string;
    // Unpinned: the runner would have to trust its first key on a hop.
    const early = await p.request('PATCH', `/hosts/${inner}`, {
      token: admin,
      body: { jump_host_id: bastion },
    });
    expect(early.status, early.text).toBe(422);
    expect(early.json.error.fields).toEqual([
      { path: 'jump_host_id', message: expect.stringMatching(/no pinned host key/) },
    ]);
    await db.transaction((tx) => pinHostKey(tx, p.clock, bastion, KEY_A));

    const set = await p.request('PATCH', `/hosts/${inner}`, {
      token: admin,
      body: { jump_host_id: bastion },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json.jump_host_id).toBe(bastion);
    expect((await events(inner)).at(-1)).toMatchObject({
      action: 'host.updated',
      detail: { changed: { jump_host_id: bastion } },
    });

    const refusals: [string, Record<string, unknown>, RegExp][] = [
      [bastion, { jump_host_id: bastion }, /its own jump host/],
      [bastion, { jump_host_id: inner }, /goes through a jump host itself/],
      [inner, { jump_host_id: 'host_nope' }, /no such host in this project/],
    ];
    for (const [id, body, message] of refusals) {
      const r = await p.request('PATCH', `/hosts/${id}`, { token: admin, body });
      expect(r.status, r.text).toBe(422);
      expect(r.json.error.fields).toEqual([
        { path: 'jump_host_id', message: expect.stringMatching(message) },
      ]);
    }
    // A host others connect through cannot take a jump host: no chain deeper than one hop.
    const third = (await create({ name: 'third' })).json.id as string;
    await db.transaction((tx) => pinHostKey(tx, p.clock, third, KEY_B));
    const chain = await p.request('PATCH', `/hosts/${bastion}`, {
      token: admin,
      body: { jump_host_id: third },
    });
    expect(chain.json.error.fields).toEqual([
      { path: 'jump_host_id', message: expect.stringMatching(/other hosts connect through/) },
    ]);
    const other = await p.request('POST', '/hosts', {
      token: admin,
      body: {
        project_id: b,
        name: 'x',
        address: '10.0.0.9',
        username: 'u',
        credential_id: theirs,
        jump_host_id: bastion,
      },
    });
    expect(other.json.error.fields).toEqual([
      { path: 'jump_host_id', message: 'no such host in this project' },
    ]);
    const del = await p.request('DELETE', `/hosts/${bastion}`, { token: admin });
    expect(del.status, del.text).toBe(409);
    expect(del.json.error.message).toMatch(/connecting through it: inner/);

    const job = { id: 'job_w', kind: 'host_test', payload: { host_id: inner } } as unknown as JobRow;
    const order = (await buildWorkOrder(db, p.deps.keys, job, p.deps.jobKinds)) as {
      host: { id: string; jump?: { id: string; host_key: string; auth: { kind: string } } };
    };
    expect(order.host.jump).toMatchObject({ id: bastion, host_key: KEY_A, auth: { kind: 'ssh_password' } });

    const cleared = await p.request('PATCH', `/hosts/${inner}`, {
      token: admin,
      body: { jump_host_id: null },
    });
    expect(cleared.json.jump_host_id).toBeNull();
  });

  it('answers a connection test without a runner pool with 409 NO_RUNNER_POOL', async () => {
    const id = (await create({})).json.id;
    const res = await p.request('POST', `/hosts/${id}/test-connection`, { token: admin });
    expect([res.status, res.json.error.code]).toEqual([409, 'NO_RUNNER_POOL']);
    const denied = await p.request('POST', `/hosts/${id}/test-connection`, { token: viewer.token });
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain('credential:test');
  });

  it("shows a project's hosts only to those who may read them there", async () => {
    const other = await p.request('POST', '/hosts', {
      token: admin,
      body: { project_id: b, name: 'db-1', address: '10.1.0.5', username: 'deploy', credential_id: theirs },
    });
    expect(other.status).toBe(201);
    const list = await p.request('GET', '/hosts', { token: viewer.token });
    expect(list.json.items.length).toBeGreaterThan(0);
    expect(list.json.items.every((h: { project_id: string }) => h.project_id === a)).toBe(true);
    expect((await p.request('GET', `/hosts/${other.json.id}`, { token: viewer.token })).status).toBe(403);
    expect((await p.request('GET', `/hosts?project_id=${b}`, { token: viewer.token })).status).toBe(403);
    const forbidden = await p.request('POST', '/hosts', {
      token: viewer.token,
      body: { project_id: a, name: 'x', address: '10.0.0.9', username: 'deploy', credential_id: sshKey },
    });
    expect(forbidden.status).toBe(403);
  });
});
