import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';

describe.each(await backends())('project-scoped role bindings on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let a: string;
  let b: string;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
    for (const project_id of [a, b])
      await p.request('POST', '/environments', {
        token: admin,
        body: { project_id, name: 'dev', tier: 'development' },
      });
  });
  afterAll(() => p.close());

  it('lets an admin of one project write there and nowhere else', async () => {
    const u = await p.userWithRole('admin', a);
    const here = await p.request('POST', '/environments', {
      token: u.token,
      body: { project_id: a, name: 'prod', tier: 'production' },
    });
    expect(here.status).toBe(201);
    const there = await p.request('POST', '/environments', {
      token: u.token,
      body: { project_id: b, name: 'prod', tier: 'production' },
    });
    expect(there.status).toBe(403);
    expect(there.json.error.message).toContain('environment:write');
    // Creating projects needs project:write in every project, not in one.
    expect((await p.request('POST', '/projects', { token: u.token, body: { name: 'gamma' } })).status).toBe(
      403,
    );
  });

  it('shows a project viewer only that project and its environments', async () => {
    const u = await p.userWithRole('viewer', a);
    const projects = await p.request('GET', '/projects', { token: u.token });
    expect(projects.json.items.map((x: { id: string }) => x.id)).toEqual([a]);
    const envs = await p.request('GET', '/environments', { token: u.token });
    expect(envs.json.items.every((e: { project_id: string }) => e.project_id === a)).toBe(true);
    expect(envs.json.items.map((e: { name: string }) => e.name)).toContain('dev');
    expect((await p.request('GET', `/environments?project_id=${b}`, { token: u.token })).status).toBe(403);
    const other = (await p.request('GET', `/environments?project_id=${b}`, { token: admin })).json.items[0]
      .id;
    expect((await p.request('GET', `/environments/${other}`, { token: u.token })).status).toBe(403);
  });

  it('takes a removed binding away at once, for tokens already issued', async () => {
    const u = await p.userWithRole('admin', a);
    const me = await p.request('GET', '/me', { token: u.token });
    expect(me.json.permissions).toEqual([expect.objectContaining({ project_id: a })]);
    const bindingId = me.json.roles[0].binding_id;
    expect((await p.request('DELETE', `/role-bindings/${bindingId}`, { token: admin })).status).toBe(204);
    const after = await p.request('POST', '/environments', {
      token: u.token,
      body: { project_id: a, name: 'late', tier: 'staging' },
    });
    expect(after.status).toBe(403);
  });

  it('refuses bad input to a role binding with field errors', async () => {
    const res = await p.request('POST', '/role-bindings', {
      token: admin,
      body: { username: 'nobody-here', role: 'viewer' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual([{ path: 'username', message: 'no such user' }]);
  });

  it('lets a custom role grant exactly its permissions', async () => {
    const role = await p.request('POST', '/roles', {
      token: admin,
      body: { name: 'env-editor', permissions: ['environment:write'] },
    });
    expect(role.status).toBe(201);
    const u = await p.userWithRole('env-editor', b);
    expect(
      (
        await p.request('POST', '/environments', {
          token: u.token,
          body: { project_id: b, name: 'qa', tier: 'staging' },
        })
      ).status,
    ).toBe(201);
    expect((await p.request('GET', `/environments?project_id=${b}`, { token: u.token })).status).toBe(403);
  });
});
