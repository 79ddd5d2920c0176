import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';

describe.each(await backends())('fixing projects and environments on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
  });
  afterAll(() => p.close());

  const req = (method: string, path: string, body?: unknown) =>
    p.request(method, path, { token: admin, body });
  const newProject = async () => (await req('POST', '/projects', { name: `fix-${++n}` })).json.id as string;
  const newEnvironment = async (projectId: string) =>
    (await req('POST', '/environments', { project_id: projectId, name: `env-${++n}`, tier: 'staging' })).json
      .id as string;
  const events = async (projectId: string, action: string) =>
    (await req('GET', `/audit/events?project_id=${projectId}&action=${action}`)).json.items;

  it('renames a project and audits the change', async () => {
    const id = await newProject();
    const res = await req('PATCH', `/projects/${id}`, { name: 'renamed-project' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id, name: 'renamed-project' });
    expect((await req('GET', `/projects/${id}`)).json.name).toBe('renamed-project');
    expect((await events(id, 'project.updated'))[0].detail).toMatchObject({
      name: 'renamed-project',
      previous: { name: expect.stringMatching(/^fix-/) },
    });
  });

  it('refuses a bad project patch with 422 naming the field, a taken name with 409, an unknown id with 404', async () => {
    const id = await newProject();
    const bad = await req('PATCH', `/projects/${id}`, { name: 'Not Valid' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields[0].path).toBe('name');
    expect((await req('PATCH', `/projects/${id}`, { id: 'prj_other', name: 'x' })).status).toBe(422);
    const other = await newProject();
    const taken = await req('PATCH', `/projects/${id}`, { name: `fix-${n}` });
    expect([taken.status, other]).toEqual([409, other]);
    expect((await req('PATCH', '/projects/prj_unknown', { name: 'nobody' })).status).toBe(404);
  });

  it('deletes a project: gone from the list and by id, a second delete is 404, the event stays', async () => {
    const id = await newProject();
    expect((await req('DELETE', `/projects/${id}`)).status).toBe(204);
    expect((await req('GET', `/projects/${id}`)).status).toBe(404);
    const list = await req('GET', '/projects?limit=200');
    expect(list.json.items.map((x: { id: string }) => x.id)).not.toContain(id);
    expect((await req('DELETE', `/projects/${id}`)).status).toBe(404);
    expect((await req('PATCH', `/projects/${id}`, { name: 'back-again' })).status).toBe(404);
    expect(await events(id, 'project.deleted')).toHaveLength(1);
    // A deleted project takes no new children.
    const env = await req('POST', '/environments', { project_id: id, name: 'late', tier: 'staging' });
    expect(env.status).toBe(422);
  });

  it('refuses to delete a project with environments with 409 IN_USE naming them', async () => {
    const id = await newProject();
    const env = await newEnvironment(id);
    const res = await req('DELETE', `/projects/${id}`);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('IN_USE');
    expect(res.json.error.message).toContain('1 environment(s)');
    expect((await req('DELETE', `/environments/${env}`)).status).toBe(204);
    expect((await req('DELETE', `/projects/${id}`)).status).toBe(204);
  });

  it('lets only project:write change or delete a project', async () => {
    const id = await newProject();
    const viewer = await p.userWithRole('viewer', id);
    const patch = await p.request('PATCH', `/projects/${id}`, {
      token: viewer.token,
      body: { name: 'nope' },
    });
    expect(patch.status).toBe(403);
    expect((await p.request('DELETE', `/projects/${id}`, { token: viewer.token })).status).toBe(403);
  });

  it('deletes an environment: gone from the list and by id, a second delete is 404, the event stays', async () => {
    const project = await newProject();
    const id = await newEnvironment(project);
    expect((await req('DELETE', `/environments/${id}`)).status).toBe(204);
    expect((await req('GET', `/environments/${id}`)).status).toBe(404);
    const list = await req('GET', `/environments?project_id=${project}`);
    expect(list.json.items).toEqual([]);
    expect((await req('DELETE', `/environments/${id}`)).status).toBe(404);
    expect((await req('PATCH', `/environments/${id}`, { name: 'back-again' })).status).toBe(404);
    expect(await events(project, 'environment.deleted')).toHaveLength(1);
  });

  it('refuses a bad environment patch with 422 naming the field', async () => {
    const id = await newEnvironment(await newProject());
    const bad = await req('PATCH', `/environments/${id}`, { name: 'Bad Name' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields[0].path).toBe('name');
    expect((await req('PATCH', `/environments/${id}`, { tier: 'production' })).status).toBe(422);
  });

  it('refuses to delete an environment with targets, or with a release waiting for approval, with 409 IN_USE', async () => {
    const f = await governanceFixture(p, 'fix-gov');
    const withTargets = await req('DELETE', `/environments/${f.envs.dev}`);
    expect(withTargets.status).toBe(409);
    expect(withTargets.json.error).toMatchObject({ code: 'IN_USE' });
    expect(withTargets.json.error.message).toContain('2 target(s)');

    const pv = await req('POST', '/deploy/releases/preview', {
      service_id: f.serviceId,
      target_id: f.targets.prodCompose,
      variables: composeVars('9.9'),
    });
    const deployer = await p.userWithRole('deployer', f.project);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.json.lifecycle_state, ap.text).toBe('pending_approval');
    const prod = await req('DELETE', `/environments/${f.envs.prod}`);
    expect(prod.status).toBe(409);
    expect(prod.json.error.message).toContain('1 unfinished release(s)');
  });
});
