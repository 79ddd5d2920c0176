import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { COMPOSE_FILE, composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { claimJob, completeJob } from '../jobs/service';
import { findRelease } from './repo';
import { openRevision } from './revision';

/** SPEC §7.0 "Variables not given" and what the Deploy form starts from (§7.1). */
describe.each(await backends())('variables from the applied release on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; token: string };
  let applied: { id: string; vars: Record<string, string> };

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'keep');
    deployer = await p.userWithRole('deployer', f.project);
  }, 120_000);
  afterAll(() => p.close());

  const preview = (variables: Record<string, string>, serviceId = f.serviceId) =>
    p.request('POST', '/deploy/releases/preview', {
      token: deployer.token,
      body: { service_id: serviceId, target_id: f.targets.devCompose, variables },
    });
  const variablesOf = (serviceId: string, targetId: string, token = deployer.token) =>
    p.request('GET', `/services/${serviceId}/variables?target_id=${targetId}`, { token });

  /** Previews, applies and lands a release on the dev compose target. */
  async function land(variables: Record<string, string>) {
    const pv = await preview(variables);
    expect(pv.status, pv.text).toBe(201);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.status, ap.text).toBe(202);
    const db = p.deps.database.db;
    const lease = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease?.job.resourceId).toBe(pv.json.id);
    await completeJob(db, p.clock, lease!, { status: 'succeeded' }, p.deps.jobKinds);
    return pv.json.id as string;
  }

  it('lists the placeholders and secret names, with no values while nothing was applied', async () => {
    const res = await variablesOf(f.serviceId, f.targets.devCompose);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      service_id: f.serviceId,
      target_id: f.targets.devCompose,
      runtime_type: 'compose',
      placeholders: ['API_KEY', 'TAG'],
      secret: ['API_KEY'],
      applied_release_id: null,
      values: {},
    });
    const k8s = await variablesOf(f.serviceId, f.targets.devK8s);
    expect(k8s.json.placeholders).toEqual(['REPLICAS', 'TAG']);
    // Nobody has a value for a variable left out: 422 naming it.
    const missing = await preview({ TAG: '0.9' });
    expect(missing.status).toBe(422);
    expect(missing.json.error.fields).toEqual([{ path: 'variables.API_KEY', message: 'missing variable' }]);
  });

  it('shows the applied values with secrets as *** and fills a preview with them, secrets included', async () => {
    const vars = composeVars('1.0');
    applied = { id: await land(vars), vars };
    const res = await variablesOf(f.serviceId, f.targets.devCompose);
    expect(res.json).toMatchObject({
      applied_release_id: applied.id,
      secret: ['API_KEY'],
      values: { TAG: '1.0', API_KEY: '***' },
    });
    expect(res.text).not.toContain(vars.API_KEY);

    const pv = await preview({ TAG: '2.0' });
    expect(pv.status, pv.text).toBe(201);
    expect(pv.text).not.toContain(vars.API_KEY);
    expect(pv.json.diff.unified).toContain('API_KEY: ***');
    // The secret was re-used, not a mask: the sealed revision holds the applied value.
    const row = (await findRelease(p.deps.database.db, pv.json.id))!;
    expect(row.variablesMasked).toEqual({ TAG: '2.0', API_KEY: '***' });
    const sealed = await openRevision(p.deps.keys, row);
    expect(sealed.secret_values).toEqual({ API_KEY: vars.API_KEY });
    expect(sealed.rendered).toContain(`API_KEY: ${vars.API_KEY}`);
    expect(sealed.rendered).toContain('web:2.0');
  });

  it('refuses a secret value of exactly *** on its field', async () => {
    const res = await preview({ TAG: '2.0', API_KEY: '***' });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual([
      { path: 'variables.API_KEY', message: expect.stringContaining('***') },
    ]);
    // A plain variable may read *** (it is shown as it is anyway); only secrets are refused.
    expect((await preview({ TAG: '***', API_KEY: 'x' })).status).toBe(201);
  });

  it('keeps a value secret that was secret in the applied release, even after the service forgets it', async () => {
    const patched = await p.request('PATCH', `/services/${f.serviceId}`, {
      token: f.admin,
      body: { secret_variables: [] },
    });
    expect(patched.status, patched.text).toBe(200);
    const res = await variablesOf(f.serviceId, f.targets.devCompose);
    expect(res.json).toMatchObject({ secret: ['API_KEY'], values: { API_KEY: '***' } });
    const pv = await preview({ TAG: '2.1' });
    expect(pv.status, pv.text).toBe(201);
    const row = (await findRelease(p.deps.database.db, pv.json.id))!;
    expect(row.variablesMasked).toEqual({ TAG: '2.1', API_KEY: '***' });
    expect(pv.text).not.toContain(applied.vars.API_KEY);
    await p.request('PATCH', `/services/${f.serviceId}`, {
      token: f.admin,
      body: { secret_variables: ['API_KEY'] },
    });
  });

  it('never takes values from another service’s release on the target', async () => {
    const other = await p.request('POST', '/services', {
      token: f.admin,
      body: {
        project_id: f.project,
        name: 'other',
        compose_file: COMPOSE_FILE,
        secret_variables: ['API_KEY'],
      },
    });
    expect(other.status, other.text).toBe(201);
    const res = await variablesOf(other.json.id, f.targets.devCompose);
    expect(res.json).toMatchObject({ applied_release_id: null, values: {} });
    const pv = await preview({ TAG: '3.0' }, other.json.id);
    expect(pv.status).toBe(422);
    expect(pv.json.error.fields).toEqual([{ path: 'variables.API_KEY', message: 'missing variable' }]);
  });

  it('answers 404 for an unknown target and 422 for a target of another project', async () => {
    expect((await variablesOf(f.serviceId, 'tgt_missing')).status).toBe(404);
    const g = await governanceFixture(p, 'keep-other');
    const res = await variablesOf(f.serviceId, g.targets.devCompose, f.admin);
    expect([res.status, res.json.error.fields[0].path]).toEqual([422, 'target_id']);
    // Reading the target is needed too: a caller without target:read there gets 403.
    const outsider = await p.userWithRole('viewer', g.project);
    const denied = await variablesOf(g.serviceId, f.targets.devCompose, outsider.token);
    expect(denied.status).toBe(403);
  });
});
