import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { jobs } from '../../platform/db/schema';
import { claimJob } from '../jobs/service';
import { runSweeps } from '../sweeps';

describe.each(await backends())('cancelling releases on %s', (backend) => {
  let p: TestPlatform;
  let deployer: { id: string; token: string };

  beforeAll(async () => {
    p = await createTestPlatform(backend);
  });
  afterAll(() => p.close());

  /** A project of its own per test, so one test's queued jobs and targets never meet another's. */
  async function fixture(name: string) {
    const f = await governanceFixture(p, name);
    deployer = await p.userWithRole('deployer', f.project);
    const preview = async (target: string, token = deployer.token) => {
      const res = await p.request('POST', '/deploy/releases/preview', {
        token,
        body: { service_id: f.serviceId, target_id: target, variables: composeVars(name) },
      });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; preview_ref: string };
    };
    const apply = (preview_ref: string, token = deployer.token) =>
      p.request('POST', '/deploy/releases/apply', { token, body: { preview_ref } });
    const cancel = (id: string, token = deployer.token) =>
      p.request('POST', `/deploy/releases/${id}/cancel`, { token });
    const get = async (id: string) =>
      (await p.request('GET', `/deploy/releases/${id}`, { token: f.admin })).json;
    const claim = () =>
      claimJob(p.deps.database.db, p.clock, {
        runnerPoolId: f.pool,
        runnerId: 'run_test',
        leaseSeconds: 60,
        kinds: p.deps.jobKinds,
      });
    const jobsOf = (id: string) => p.deps.database.db.select().from(jobs).where(eq(jobs.resourceId, id));
    return { f, preview, apply, cancel, get, claim, jobsOf };
  }

  it('cancels a pending release, expires its ticket and touches nothing else', async () => {
    const { f, preview, apply, cancel, get, jobsOf } = await fixture('cpending');
    const waiting = await preview(f.targets.prodCompose);
    const other = await preview(f.targets.prodCompose);
    const ap = await apply(waiting.preview_ref);
    expect(ap.json.lifecycle_state).toBe('pending_approval');
    const ticket = ap.json.approval_ticket as string;

    const res = await cancel(waiting.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ lifecycle_state: 'cancelled', status: 'cancelled' });
    const t = await p.request('GET', `/approvals/inbox/${ticket}`, { token: f.admin });
    expect(t.json.status).toBe('expired');
    expect(await jobsOf(waiting.id)).toEqual([]);
    expect((await get(other.id)).lifecycle_state).toBe('preview');

    const approver = await p.userWithRole('approver', f.project);
    const late = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect(late.status).toBe(409);
    expect((await get(waiting.id)).lifecycle_state).toBe('cancelled');
    const timeline = await p.request('GET', `/deploy/releases/${waiting.id}/timeline`, { token: f.admin });
    const actions = timeline.json.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('release.cancelled');
    expect(actions).toContain('approval.expired');
    expect(
      timeline.json.items.find((e: { action: string }) => e.action === 'release.cancelled'),
    ).toMatchObject({
      actor_id: deployer.id,
      status: 'cancelled',
    });
    // Cancelled is final.
    expect((await cancel(waiting.id)).status).toBe(409);
  });

  it('cancels an approved release: its job never reaches a runner and the target is free again', async () => {
    const { f, preview, apply, cancel, get, claim, jobsOf } = await fixture('capproved');
    const first = await preview(f.targets.devCompose);
    const second = await preview(f.targets.devCompose);
    expect((await apply(first.preview_ref)).json.lifecycle_state).toBe('approved');
    const busy = await apply(second.preview_ref);
    expect([busy.status, busy.json.error.code]).toEqual([409, 'TARGET_BUSY']);

    // Not the requester, but a holder of the apply permissions.
    const colleague = await p.userWithRole('deployer', f.project);
    const res = await cancel(first.id, colleague.token);
    expect(res.status, res.text).toBe(200);
    expect(res.json.lifecycle_state).toBe('cancelled');
    const [job] = await jobsOf(first.id);
    expect(job).toMatchObject({ status: 'failed', result: { error_code: 'CANCELLED' } });
    expect(await claim()).toBeNull();
    expect((await get(first.id)).lifecycle_state).toBe('cancelled');

    const again = await apply(second.preview_ref);
    expect(again.status, again.text).toBe(202);
    expect(again.json.lifecycle_state).toBe('approved');
    expect((await claim())?.job.resourceId).toBe(second.id);
  });

  it('refuses to cancel a release a runner claimed with 409', async () => {
    const { f, preview, apply, cancel, get, claim } = await fixture('capplying');
    const r = await preview(f.targets.devCompose);
    await apply(r.preview_ref);
    expect((await claim())?.job.resourceId).toBe(r.id);
    const res = await cancel(r.id);
    expect([res.status, res.json.error.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    expect((await get(r.id)).lifecycle_state).toBe('applying');
  });

  it('refuses with 403 whoever neither asked for the release nor may apply it', async () => {
    const { f, preview, apply, cancel, get } = await fixture('cforbidden');
    const r = await preview(f.targets.prodCompose);
    await apply(r.preview_ref);
    for (const role of ['viewer', 'approver']) {
      const someone = await p.userWithRole(role, f.project);
      const res = await cancel(r.id, someone.token);
      expect([res.status, res.json.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await get(r.id)).lifecycle_state).toBe('pending_approval');
    expect((await p.request('POST', '/deploy/releases/rel_nope/cancel', { token: f.admin })).status).toBe(
      404,
    );
  });

  it('expires an approved release nobody claims within K8SM_APPROVED_TTL_SECONDS and frees its target', async () => {
    const { f, preview, apply, claim, jobsOf } = await fixture('cttl');
    const stuck = await preview(f.targets.devCompose);
    await apply(stuck.preview_ref);
    const ttl = p.config.approvedTtlSeconds;
    expect(ttl).toBe(86_400);
    // Tokens live minutes, not a day: read with one taken after the clock moved.
    const state = async (id: string) =>
      (await p.request('GET', `/deploy/releases/${id}`, { token: await p.adminToken() })).json
        .lifecycle_state;

    p.clock.advance(ttl * 1000 - 1000);
    expect((await runSweeps(p.deps)).approved_expired).toBe(0);
    expect(await state(stuck.id)).toBe('approved');
    p.clock.advance(2000);
    expect((await runSweeps(p.deps)).approved_expired).toBe(1);
    expect(await state(stuck.id)).toBe('expired');
    expect((await jobsOf(stuck.id))[0]).toMatchObject({
      status: 'failed',
      result: { error_code: 'CANCELLED' },
    });
    expect(await claim()).toBeNull();

    const later = await p.userWithRole('deployer', f.project);
    const fresh = await preview(f.targets.devCompose, later.token);
    const res = await apply(fresh.preview_ref, later.token);
    expect(res.status, res.text).toBe(202);
    expect(res.json.lifecycle_state).toBe('approved');
  });
});
