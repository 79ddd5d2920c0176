/**
 * SPEC §7.4 "Retention": the sweep removes step output and raw release diagnostics older than
 * K8SM_RETENTION_DAYS, keeps each release's summary, never touches audit events, and works in
 * bounded batches.
 */
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases';
import { governanceFixture } from '../../test/support/governance';
import { registerSecret } from '../../test/support/leak-guard';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import { applyComposeRelease, registerRunner, type TestRunner } from '../../test/support/runners';
import { auditEvents, jobSteps, releases } from '../platform/db/schema';
import { trimExpiredOutput } from './retention';
import { runSweeps } from './sweeps';

const DAY_MS = 86_400_000;

describe.each(await backends())('retention of step output, on %s', (backend) => {
  let p: TestPlatform;
  let gov: Awaited<ReturnType<typeof governanceFixture>>;
  let runner: TestRunner;
  let target = '';
  let hostId = '';
  type Failed = { release: string; job: string; secret: string };
  let old: Failed;
  let recent: Failed;

  const get = (path: string) => p.request('GET', path, { token: gov.admin });
  const created = async (path: string, body: Record<string, unknown>) => {
    const r = await p.request('POST', path, { token: gov.admin, body });
    expect(r.status, r.text).toBe(201);
    return r.json.id as string;
  };

  /** A compose release the runner fails on its host, printing the release's secret as it goes. */
  async function failedRelease(): Promise<Failed> {
    const { id, secret } = await applyComposeRelease(p, gov.admin, gov.serviceId, target);
    const claim = await runner.claim();
    if (!claim) throw new Error('nothing to claim');
    const job = claim.job.id;
    const lease_token = claim.job.lease_token;
    const step = async (body: Record<string, unknown>) => {
      const r = await runner.call('POST', `/runner/jobs/${job}/steps`, { lease_token, attempt: 1, ...body });
      expect(r.status, r.text).toBe(200);
    };
    await step({
      name: `compose.pull.${hostId}`,
      status: 'succeeded',
      host_id: hostId,
      output: 'pulled web',
    });
    await step({
      name: `compose.up.${hostId}`,
      status: 'failed',
      host_id: hostId,
      error_code: 'COMPOSE_FAILED',
      output: `Creating web ... error\nAPI_KEY=${secret}`,
      detail: { message: 'docker-compose up -d failed: Creating web ... error' },
    });
    const done = await runner.call('POST', `/runner/jobs/${job}/complete`, {
      lease_token,
      status: 'failed',
      error_code: 'COMPOSE_FAILED',
      diagnostics: {
        hosts: [
          {
            host_id: hostId,
            compose: 'v1',
            failed_step: 'compose.up',
            failed_command: 'docker-compose up -d',
            exit_code: 1,
            stderr_tail: `ERROR: for web API_KEY=${secret}`,
            logs_tail: 'web | exited with 1',
            services: [],
          },
        ],
      },
    });
    expect(done.status, done.text).toBe(200);
    return { release: id, job, secret };
  }

  /** Moves a release and its steps `days` into the past, as if they had been written then. */
  async function age(f: Failed, days: number) {
    const then = new Date(p.clock.now().getTime() - days * DAY_MS);
    const { db } = p.deps.database;
    await db.update(jobSteps).set({ startedAt: then, finishedAt: then }).where(eq(jobSteps.jobId, f.job));
    await db.update(releases).set({ updatedAt: then }).where(eq(releases.id, f.release));
  }

  const auditCount = async () => (await p.deps.database.db.select({ n: count() }).from(auditEvents))[0]!.n;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    gov = await governanceFixture(p, 'retain');
    // A host whose credential a work order can open (the fixture's own is a placeholder).
    const credential = await created('/credentials', {
      project_id: gov.project,
      name: 'cred-retain',
      kind: 'ssh_password',
      payload: { password: registerSecret(`pw-retain-${Math.random().toString(36).slice(2)}`) },
    });
    hostId = await created('/hosts', {
      project_id: gov.project,
      name: 'host-retain',
      address: '10.0.0.5',
      port: 22,
      username: 'deploy',
      credential_id: credential,
    });
    target = await created('/deploy/targets', {
      project_id: gov.project,
      environment_id: gov.envs.dev,
      name: 'retain',
      runtime_type: 'compose',
      host_ids: [hostId],
      compose_project: 'web',
    });
    runner = await registerRunner(p, gov.admin, gov.pool, 'retain-1');
    old = await failedRelease();
    recent = await failedRelease();
    await age(old, 91);
    await age(recent, 89);
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  it('removes output older than the retention, keeps the newer and every release summary', async () => {
    const before = await auditCount();
    const swept = await runSweeps(p.deps);
    expect(swept.output_trimmed).toEqual({ steps: 2, releases: 1 });

    const trimmed = await get(`/deploy/releases/${old.release}`);
    expect(trimmed.status, trimmed.text).toBe(200);
    expect(trimmed.json.diagnostics_trimmed).toBe(true);
    expect(trimmed.json.diagnostics_json).toEqual({
      error_code: 'COMPOSE_FAILED',
      message: 'docker-compose up -d failed: Creating web ... error',
      failed_step: 'compose.up',
      host_id: hostId,
      retention_days: 90,
    });
    const oldSteps = await get(`/deploy/releases/${old.release}/steps`);
    expect(oldSteps.json.items).toEqual([
      expect.objectContaining({ name: `compose.pull.${hostId}`, status: 'succeeded', output: null }),
      expect.objectContaining({
        name: `compose.up.${hostId}`,
        status: 'failed',
        host_id: hostId,
        attempt: 1,
        error_code: 'COMPOSE_FAILED',
        output: null,
      }),
    ]);
    expect(oldSteps.json.items[1].finished_at).not.toBeNull();

    const kept = await get(`/deploy/releases/${recent.release}`);
    expect(kept.json.diagnostics_trimmed).toBe(false);
    expect(kept.json.diagnostics_json.hosts[0]).toMatchObject({
      stderr_tail: 'ERROR: for web API_KEY=***',
      logs_tail: 'web | exited with 1',
    });
    const keptSteps = await get(`/deploy/releases/${recent.release}/steps`);
    expect(keptSteps.json.items.map((s: { output: string | null }) => s.output)).toEqual([
      'pulled web',
      'Creating web ... error\nAPI_KEY=***',
    ]);

    // Audit events are never removed; the trim itself is one more, and the chain still verifies.
    const after = await auditCount();
    expect(after).toBeGreaterThan(before);
    const events = await get('/audit/events?action=retention.trimmed');
    expect(events.status, events.text).toBe(200);
    expect(events.json.items.map((e: { resource_type: string }) => e.resource_type).sort()).toEqual([
      'job_steps',
      'releases',
    ]);
    const verify = await get('/audit/verify');
    expect(verify.json.ok, verify.text).toBe(true);

    // Nothing is left to do: a second sweep changes nothing.
    expect((await runSweeps(p.deps)).output_trimmed).toEqual({ steps: 0, releases: 0 });
  });

  it('works in bounded batches and goes on where the last sweep stopped', async () => {
    await age(recent, 100);
    const db = p.deps.database.db;
    const one = { stepBatch: 1, releaseBatch: 1, maxBatches: 1 };
    expect(await trimExpiredOutput(db, p.clock, 90, one)).toEqual({ steps: 1, releases: 1 });
    const left = await db
      .select({ output: jobSteps.output })
      .from(jobSteps)
      .where(inArray(jobSteps.jobId, [recent.job]));
    expect(left.filter((s) => s.output !== null)).toHaveLength(1);
    expect(await trimExpiredOutput(db, p.clock, 90, one)).toEqual({ steps: 1, releases: 0 });
    expect(await trimExpiredOutput(db, p.clock, 90, one)).toEqual({ steps: 0, releases: 0 });
    expect((await get(`/deploy/releases/${recent.release}`)).json.diagnostics_trimmed).toBe(true);
    expect((await get('/audit/verify')).json.ok).toBe(true);
  });
});
