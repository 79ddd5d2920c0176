import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeVars, governanceFixture } from '../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import { jobs } from '../platform/db/schema';
import { claimJob } from './jobs/service';
import { runSweeps } from './sweeps';

describe('sweeps', () => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  beforeAll(async () => {
    p = await createTestPlatform('pglite');
    f = await governanceFixture(p, 'sweep');
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { preview_ttl_seconds: 1, ticket_ttl_seconds: 1 },
    });
  });
  afterAll(() => p.close());

  it('expires tickets and previews whose time passed, and anchors the chain', async () => {
    const deployer = await p.userWithRole('deployer', f.project);
    const preview = (target: string) =>
      p.request('POST', '/deploy/releases/preview', {
        token: deployer.token,
        body: { service_id: f.serviceId, target_id: target, variables: composeVars('s1') },
      });
    const waiting = await preview(f.targets.prodCompose);
    const applied = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: waiting.json.preview_ref },
    });
    const unused = await preview(f.targets.devCompose);
    expect(await runSweeps(p.deps)).toEqual({
      jobs_dispatched: 0,
      jobs_dead_lettered: 0,
      tickets_expired: 0,
      previews_expired: 0,
      approved_expired: 0,
      output_trimmed: { steps: 0, releases: 0 },
      builds_timed_out: 0,
      webhook_refusals_audited: 0,
      notifications: { created: 0, succeeded: 0, retried: 0, failed: 0 },
      schedules_fired: 0,
      trigger_attempts_abandoned: 0,
      checkpoint: true,
      statuses_refreshed: 0,
      cd_work_done: 0,
    });
    p.clock.advance(1500);
    // New events since the first anchor (the expiries): every sweep covers them, so no event waits
    // longer than one sweep period for its checkpoint.
    expect(await runSweeps(p.deps)).toEqual({
      jobs_dispatched: 0,
      jobs_dead_lettered: 0,
      tickets_expired: 1,
      previews_expired: 1,
      approved_expired: 0,
      output_trimmed: { steps: 0, releases: 0 },
      builds_timed_out: 0,
      webhook_refusals_audited: 0,
      notifications: { created: 0, succeeded: 0, retried: 0, failed: 0 },
      schedules_fired: 0,
      trigger_attempts_abandoned: 0,
      checkpoint: true,
      statuses_refreshed: 0,
      cd_work_done: 0,
    });
    const state = async (id: string) =>
      (await p.request('GET', `/deploy/releases/${id}`, { token: f.admin })).json.lifecycle_state;
    expect(await state(waiting.json.id)).toBe('expired');
    expect(await state(unused.json.id)).toBe('expired');
    const ticket = await p.request('GET', `/approvals/inbox/${applied.json.approval_ticket}`, {
      token: f.admin,
    });
    expect(ticket.json.status).toBe('expired');
    p.clock.advance(5 * 60 * 1000);
    expect(await runSweeps(p.deps)).toEqual({
      jobs_dispatched: 0,
      jobs_dead_lettered: 0,
      tickets_expired: 0,
      previews_expired: 0,
      approved_expired: 0,
      output_trimmed: { steps: 0, releases: 0 },
      builds_timed_out: 0,
      webhook_refusals_audited: 0,
      notifications: { created: 0, succeeded: 0, retried: 0, failed: 0 },
      schedules_fired: 0,
      trigger_attempts_abandoned: 0,
      checkpoint: false,
      statuses_refreshed: 0,
      cd_work_done: 0,
    });
    expect(await runSweeps(p.deps)).toEqual({
      jobs_dispatched: 0,
      jobs_dead_lettered: 0,
      tickets_expired: 0,
      previews_expired: 0,
      approved_expired: 0,
      output_trimmed: { steps: 0, releases: 0 },
      builds_timed_out: 0,
      webhook_refusals_audited: 0,
      notifications: { created: 0, succeeded: 0, retried: 0, failed: 0 },
      schedules_fired: 0,
      trigger_attempts_abandoned: 0,
      checkpoint: false,
      statuses_refreshed: 0,
      cd_work_done: 0,
    });
    expect((await p.request('GET', '/audit/verify', { token: f.admin })).json.ok).toBe(true);
  });

  it('sends the message of a job whose dispatch after its request was lost', async () => {
    const f = await governanceFixture(p, 'outbox');
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: f.serviceId, target_id: f.targets.devCompose, variables: composeVars('o1') },
    });
    await p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: pv.json.preview_ref },
    });
    const db = p.deps.database.db;
    const [job] = await db.select().from(jobs).where(eq(jobs.resourceId, pv.json.release_id));
    expect(job?.dispatchedAt).not.toBeNull();
    await db.update(jobs).set({ dispatchedAt: null }).where(eq(jobs.id, job!.id));
    expect((await runSweeps(p.deps)).jobs_dispatched).toBe(1);
    expect((await runSweeps(p.deps)).jobs_dispatched).toBe(0);
  });

  it('fails a job whose runners all died once it was claimed as often as allowed (SQS dead-letters it)', async () => {
    const f = await governanceFixture(p, 'stuck');
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: f.serviceId, target_id: f.targets.devCompose, variables: composeVars('st') },
    });
    await p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: pv.json.preview_ref },
    });
    const db = p.deps.database.db;
    const { leaseSeconds, maxReceives } = p.config.jobs;
    for (let i = 0; i < maxReceives; i++) {
      const lease = await claimJob(db, p.clock, {
        runnerPoolId: f.pool,
        runnerId: `run_${i}`,
        leaseSeconds,
        kinds: p.deps.jobKinds,
      });
      expect(lease?.job.resourceId).toBe(pv.json.release_id);
      p.clock.advance(leaseSeconds * 1000 + 1);
    }
    expect((await runSweeps(p.deps)).jobs_dead_lettered).toBe(0);
    p.clock.advance(2 * leaseSeconds * 1000);
    expect((await runSweeps(p.deps)).jobs_dead_lettered).toBe(1);
    const r = await p.request('GET', `/deploy/releases/${pv.json.release_id}`, { token: f.admin });
    expect(r.json.lifecycle_state).toBe('failed');
    expect(r.json.diagnostics_json.error_code).toBe('DEAD_LETTERED');
  });
});
