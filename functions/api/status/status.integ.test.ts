import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { jobs, runners } from '../../platform/db/schema';
import { claimJob, completeJob } from '../jobs/service';
import { runSweeps } from '../sweeps';

const running = (service: string) => ({
  service,
  container: `app-${service}-1`,
  image: '127.0.0.1:5000/app:1.0',
  state: 'running',
  health: null,
  exit_code: null,
});

describe.each(await backends())('target status on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let viewer: string;
  let deployer: string;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'status');
    viewer = (await p.userWithRole('viewer', f.project)).token;
    deployer = (await p.userWithRole('deployer', f.project)).token;
  });
  afterAll(() => p.close());

  const db = () => p.deps.database.db;
  const status = async (target: string, token = viewer) =>
    p.request('GET', `/deploy/targets/${target}/status`, { token });
  const refresh = (target: string, token = deployer) =>
    p.request('POST', `/deploy/targets/${target}/status/refresh`, { token });
  const openJobs = async (target: string) =>
    db()
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'target_status'), eq(jobs.resourceId, target), eq(jobs.status, 'queued')));

  /** Plays the target's runner: claims the next job, which must be a status read of `target`. */
  async function report(target: string, r: Parameters<typeof completeJob>[3]) {
    const lease = await claimJob(db(), p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_status',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease?.job.kind).toBe('target_status');
    expect(lease?.job.payload).toEqual({ target_id: target });
    await completeJob(db(), p.clock, lease!, r, p.deps.jobKinds);
  }

  it('answers unknown with observed_at null before anything was read', async () => {
    const res = await status(f.targets.devCompose);
    expect([res.status, res.json]).toEqual([
      200,
      {
        target_id: f.targets.devCompose,
        state: 'unknown',
        observed_at: null,
        job_id: null,
        error_code: null,
      },
    ]);
    expect((await status('tgt_missing')).status).toBe(404);
  });

  it('queues one read per target, keeps the newest report and judges it', async () => {
    const target = f.targets.devCompose;
    expect((await refresh(target, viewer)).status).toBe(403);
    const first = await refresh(target);
    expect([first.status, first.json.status]).toEqual([202, 'queued']);
    // A second refresh while the first is queued answers the same job.
    expect((await refresh(target)).json.job_id).toBe(first.json.job_id);
    expect(await openJobs(target)).toHaveLength(1);

    const host = { host_id: f.hostId, reachable: true, compose: 'v1', error_code: null, message: null };
    await report(target, {
      status: 'succeeded',
      result: { hosts: [{ ...host, containers: [running('web'), running('worker')] }] },
    });
    const healthy = await status(target);
    expect(healthy.json).toMatchObject({ state: 'healthy', job_id: first.json.job_id, error_code: null });
    expect(healthy.json.observed_at).toBe(p.clock.now().toISOString());
    expect(healthy.json.hosts[0].containers.map((c: { service: string }) => c.service)).toEqual([
      'web',
      'worker',
    ]);

    p.clock.advance(1000);
    await refresh(target);
    const stopped = { ...running('worker'), state: 'exited', exit_code: 137 };
    await report(target, {
      status: 'succeeded',
      result: { hosts: [{ ...host, containers: [running('web'), stopped] }] },
    });
    expect((await status(target)).json.state).toBe('degraded');

    p.clock.advance(1000);
    await refresh(target);
    await report(target, { status: 'failed', error_code: 'SSH_CONNECT', diagnostics: {} });
    expect((await status(target)).json).toMatchObject({ state: 'unknown', error_code: 'SSH_CONNECT' });
  });

  it('judges a k8s report by its workloads and refuses a report outside the schema', async () => {
    const target = f.targets.devK8s;
    await refresh(target);
    const workload = {
      kind: 'Deployment',
      name: 'web',
      ready: 2,
      desired: 2,
      rollout: 'complete',
      message: '2/2 ready',
    };
    await report(target, { status: 'succeeded', result: { workloads: [workload] } });
    expect((await status(target)).json).toMatchObject({ state: 'healthy', workloads: [workload] });
    p.clock.advance(1000);
    await refresh(target);
    await report(target, { status: 'succeeded', result: { workloads: [{ ...workload, ready: 'two' }] } });
    expect((await status(target)).json).toMatchObject({ state: 'unknown', error_code: 'COMMAND_FAILED' });
  });

  it('refuses a refresh where no runner pool could read it with 409 NO_RUNNER_POOL', async () => {
    const env = await p.request('POST', '/environments', {
      token: f.admin,
      body: { project_id: f.project, name: 'poolless', tier: 'development' },
    });
    const target = await p.request('POST', '/deploy/targets', {
      token: f.admin,
      body: {
        project_id: f.project,
        environment_id: env.json.id,
        name: 'poolless',
        runtime_type: 'compose',
        host_ids: [f.hostId],
        compose_project: 'poolless',
      },
    });
    expect(target.status, target.text).toBe(201);
    const res = await refresh(target.json.id);
    expect([res.status, res.json.error.code]).toEqual([409, 'NO_RUNNER_POOL']);
    expect(await openJobs(target.json.id)).toHaveLength(0);
    // Kept out of the aggregate below, which counts the fixture's four.
    await p.request('DELETE', `/deploy/targets/${target.json.id}`, { token: f.admin });
  });

  it('aggregates per target with counts, filtered and only where the caller may read', async () => {
    const all = await p.request('GET', `/deploy/status?project_id=${f.project}`, { token: viewer });
    expect(all.status).toBe(200);
    const byId = Object.fromEntries(
      all.json.items.map((t: { target_id: string; state: string }) => [t.target_id, t.state]),
    );
    expect(byId).toEqual({
      [f.targets.devCompose]: 'unknown',
      [f.targets.devK8s]: 'unknown',
      [f.targets.stageCompose]: 'unknown',
      [f.targets.prodCompose]: 'unknown',
    });
    expect(all.json.counts).toEqual({ healthy: 0, degraded: 0, unknown: 4 });
    const k8s = await p.request('GET', `/deploy/status?runtime_type=k8s&environment_id=${f.envs.dev}`, {
      token: viewer,
    });
    expect(k8s.json.items.map((t: { target_id: string }) => t.target_id)).toEqual([f.targets.devK8s]);
    // No release applied anywhere yet: no target runs the service.
    const bySvc = await p.request('GET', `/deploy/status?service_id=${f.serviceId}`, { token: viewer });
    expect(bySvc.json.items).toEqual([]);
    const stranger = (
      await p.userWithRole(
        'viewer',
        (
          await p.request('POST', '/projects', {
            token: f.admin,
            body: { name: 'status-other' },
          })
        ).json.id,
      )
    ).token;
    expect((await p.request('GET', '/deploy/status', { token: stranger })).json.items).toEqual([]);
    expect(
      (await p.request('GET', `/deploy/status?project_id=${f.project}`, { token: stranger })).status,
    ).toBe(403);
  });

  it('has the sweep re-read stale statuses only where a runner is online, never twice', async () => {
    const target = f.targets.stageCompose;
    // No runner of the pool seen: nothing is queued.
    expect((await runSweeps(p.deps)).statuses_refreshed).toBe(0);
    const now = p.clock.now();
    await db().insert(runners).values({
      id: 'run_status',
      runnerPoolId: f.pool,
      name: 'status',
      labels: {},
      publicKey: 'x',
      tokenHash: 'x',
      version: null,
      lastSeenAt: now,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    // The two targets never read; the two read moments ago are fresh.
    const first = (await runSweeps(p.deps)).statuses_refreshed;
    expect(first).toBe(2);
    expect(await openJobs(target)).toHaveLength(1);
    expect((await runSweeps(p.deps)).statuses_refreshed).toBe(0);
    expect(await openJobs(target)).toHaveLength(1);

    // Past the TTL the fresh ones are stale too, but the queued reads still count once.
    p.clock.advance(p.config.statusTtlSeconds * 1000 + 1000);
    await db().update(runners).set({ lastSeenAt: p.clock.now() }).where(eq(runners.id, 'run_status'));
    expect((await runSweeps(p.deps)).statuses_refreshed).toBe(2);
    expect((await runSweeps(p.deps)).statuses_refreshed).toBe(0);
  });
});
