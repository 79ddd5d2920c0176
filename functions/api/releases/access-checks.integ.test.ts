import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { clusters, hosts } from '../../platform/db/schema';
import { claimJob, completeJob, reportStep } from '../jobs/service';

/**
 * Preview checks from what the platform last saw (SPEC §7.6): a host refused on auth blocks the
 * apply; a host without compose fails with the install hint; untested or stale warns; each check
 * names its source and age.
 */
describe.each(await backends())('access checks in previews on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'checks');
  });
  afterAll(() => p.close());

  type C = { name: string; status: string; detail: string; source?: string; age_seconds?: number | null };
  const preview = async (target: string) => {
    const variables = target === f.targets.devK8s ? { TAG: '1.0', REPLICAS: '2' } : composeVars('1.0');
    const r = await p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: f.serviceId, target_id: target, variables },
    });
    expect(r.status, r.text).toBe(201);
    return r.json as { preview_ref: string; checks: C[] };
  };
  const ago = (s: number) => new Date(p.clock.now().getTime() - s * 1000).toISOString();
  const setHost = (set: Partial<typeof hosts.$inferInsert>) =>
    p.deps.database.db.update(hosts).set(set).where(eq(hosts.id, f.hostId));
  const named = (checks: C[], name: string) => checks.filter((c) => c.name === name);

  it('warns for a host never tested, naming the source and no age', async () => {
    const pv = await preview(f.targets.devCompose);
    expect(named(pv.checks, 'host_access')).toEqual([
      expect.objectContaining({ status: 'warn', source: 'host h1 test', age_seconds: null }),
    ]);
  });

  it('fails for a host whose last test failed with SSH_AUTH, and the apply is refused', async () => {
    await setHost({
      lastTest: { reachable: false, error_code: 'SSH_AUTH', job_id: 'job_1', tested_at: ago(120) },
    });
    const pv = await preview(f.targets.devCompose);
    const [check] = named(pv.checks, 'host_access');
    expect(check).toMatchObject({ status: 'fail', source: 'host h1 test (job job_1)', age_seconds: 120 });
    expect(check!.detail).toMatch(/SSH_AUTH/);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: pv.preview_ref },
    });
    expect(ap.status, ap.text).toBe(409);
    expect(ap.json.error.fields).toEqual([
      {
        path: `checks[${pv.checks.indexOf(check!)}]`,
        message: expect.stringMatching(/^host_access: .*SSH_AUTH/),
      },
    ]);
    const r = await p.request('GET', `/deploy/releases?project_id=${f.project}`, { token: f.admin });
    expect(r.json.items.every((x: { lifecycle_state: string }) => x.lifecycle_state === 'preview')).toBe(
      true,
    );
  });

  it('fails for a host key mismatch too; a host reachable but without compose fails with the install hint', async () => {
    await setHost({ lastTest: { reachable: false, error_code: 'HOST_KEY_MISMATCH', tested_at: ago(5) } });
    expect(named((await preview(f.targets.devCompose)).checks, 'host_access')[0]?.status).toBe('fail');

    await setHost({
      lastTest: { reachable: true, error_code: null, tested_at: ago(60) },
      compose: { dialect: null, version: null, seen_at: ago(60), job_id: 'job_2' },
    });
    const pv = await preview(f.targets.devCompose);
    expect(named(pv.checks, 'host_access')[0]?.status).toBe('pass');
    expect(named(pv.checks, 'compose')).toEqual([
      expect.objectContaining({
        status: 'fail',
        detail: expect.stringMatching(/has no compose: install Docker/),
      }),
    ]);
  });

  it('passes with compose found, and warns once the test is older than K8SM_TEST_MAX_AGE_SECONDS', async () => {
    await setHost({
      lastTest: { reachable: true, error_code: null, tested_at: ago(86_400 + 60) },
      compose: {
        dialect: 'v2',
        version: 'Docker Compose version v2.29.0',
        seen_at: ago(86_460),
        job_id: 'job_3',
      },
    });
    const pv = await preview(f.targets.devCompose);
    expect(named(pv.checks, 'host_access')[0]).toMatchObject({ status: 'warn', age_seconds: 86_460 });
    expect(named(pv.checks, 'compose')[0]).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/v2/),
    });
    expect(pv.checks.some((c) => c.status === 'fail')).toBe(false);
  });

  it('keeps what a release’s compose.detect step found on the host: none fails the next preview', async () => {
    const pv = await preview(f.targets.devCompose);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: pv.preview_ref },
    });
    expect(ap.status, ap.text).toBe(202);
    const db = p.deps.database.db;
    const lease = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease).toBeTruthy();
    const step = { name: `compose.detect.${f.hostId}`, attempt: 1, host_id: f.hostId };
    await reportStep(db, p.clock, lease!, { ...step, status: 'running' }, undefined, p.deps.jobKinds);
    await reportStep(
      db,
      p.clock,
      lease!,
      { ...step, status: 'failed', error_code: 'COMPOSE_NOT_FOUND' },
      undefined,
      p.deps.jobKinds,
    );
    const host = await p.request('GET', `/hosts/${f.hostId}`, { token: f.admin });
    expect(host.json.compose).toMatchObject({ dialect: null, job_id: lease!.job.id });
    await completeJob(
      db,
      p.clock,
      lease!,
      { status: 'failed', error_code: 'COMPOSE_NOT_FOUND' },
      p.deps.jobKinds,
    );
    expect(named((await preview(f.targets.devCompose)).checks, 'compose')[0]?.status).toBe('fail');
  });

  it('reports the cluster: rejected credentials fail, a good test gives its version and the namespace', async () => {
    const db = p.deps.database.db;
    await db
      .update(clusters)
      .set({ lastTest: { reachable: false, error_code: 'K8S_REJECTED', tested_at: ago(30) } })
      .where(eq(clusters.id, f.clusterId));
    expect(named((await preview(f.targets.devK8s)).checks, 'cluster_access')[0]?.status).toBe('fail');
    await db
      .update(clusters)
      .set({
        lastTest: {
          reachable: true,
          error_code: null,
          version: 'v1.31.4',
          tested_at: ago(30),
          namespaces: { web: false },
        },
      })
      .where(eq(clusters.id, f.clusterId));
    const pv = await preview(f.targets.devK8s);
    expect(named(pv.checks, 'cluster_version')[0]).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/v1\.31\.4/),
    });
    expect(named(pv.checks, 'namespace')[0]).toMatchObject({ status: 'warn', source: 'cluster c1 test' });
  });
});
