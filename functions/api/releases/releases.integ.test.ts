import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture, K8S_MANIFEST } from '../../../test/support/governance';
import { registerSecret } from '../../../test/support/leak-guard';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { claimJob, completeJob, reportStep } from '../jobs/service';
import { findRelease } from './repo';
import { openRevision } from './revision';

describe.each(await backends())('governed releases on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; token: string };
  let approver: { id: string; token: string };
  let approver2: { id: string; token: string };

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'shop');
    deployer = await p.userWithRole('deployer', f.project);
    approver = await p.userWithRole('approver', f.project);
    approver2 = await p.userWithRole('approver', f.project);
  });
  afterAll(() => p.close());

  const preview = (token: string, target: string, variables: Record<string, string>) =>
    p.request('POST', '/deploy/releases/preview', {
      token,
      body: { service_id: f.serviceId, target_id: target, variables },
    });
  const apply = (token: string, preview_ref: string) =>
    p.request('POST', '/deploy/releases/apply', { token, body: { preview_ref } });
  const get = async (id: string) =>
    (await p.request('GET', `/deploy/releases/${id}`, { token: f.admin })).json;

  /** Plays the runner: claims the next job of the pool, which must be this release's. */
  async function run(releaseId: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
    const db = p.deps.database.db;
    const lease = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease?.job.resourceId).toBe(releaseId);
    expect((await get(releaseId)).lifecycle_state).toBe('applying');
    const step = { name: 'compose.up', attempt: 1, status: 'running' as const };
    await reportStep(db, p.clock, lease!, step);
    await reportStep(db, p.clock, lease!, {
      ...step,
      status: outcome === 'succeeded' ? 'succeeded' : 'failed',
    });
    await completeJob(
      db,
      p.clock,
      lease!,
      outcome === 'succeeded'
        ? { status: 'succeeded' }
        : { status: 'failed', error_code: 'APPLY_FAILED', diagnostics: { stderr: 'manifest unknown' } },
      p.deps.jobKinds,
    );
    return lease!;
  }

  it('lets a deployer preview and apply to development without a ticket', async () => {
    const pv = await preview(deployer.token, f.targets.devCompose, composeVars('1.0'));
    expect(pv.status, pv.text).toBe(201);
    expect(pv.json).toMatchObject({
      lifecycle_state: 'preview',
      status: 'preview',
      runtime_type: 'compose',
      approval_required: false,
      approval_ticket: null,
      risk_level: 'low',
      diagnostics_json: null,
      diagnostics_trimmed: false,
    });
    expect(pv.json.release_id).toBe(pv.json.id);
    expect(pv.json.diff.summary.resources_added).toEqual(['service/web']);
    expect(pv.json.diff.unified).toContain('API_KEY: ***');
    const ap = await apply(deployer.token, pv.json.preview_ref);
    expect(ap.status, ap.text).toBe(202);
    expect(ap.json).toMatchObject({ lifecycle_state: 'approved', status: 'approved', approval_ticket: null });
    await run(pv.json.id);
    const landed = await get(pv.json.id);
    expect(landed).toMatchObject({ lifecycle_state: 'applied', status: 'succeeded' });
  });

  it('tells the story of a release in order on its timeline, with every standard field', async () => {
    const list = await p.request(
      'GET',
      `/deploy/releases?target_id=${f.targets.devCompose}&status=succeeded`,
      { token: deployer.token },
    );
    const id = list.json.items[0].id;
    const tl = await p.request('GET', `/deploy/releases/${id}/timeline`, { token: deployer.token });
    expect(tl.status).toBe(200);
    const actions = tl.json.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'release.previewed',
      'release.approved',
      'job.created',
      'release.applying',
      'job.step_recorded',
      'job.step_recorded',
      'job.completed',
      'release.applied',
    ]);
    for (const e of tl.json.items)
      for (const field of [
        'event_id',
        'action',
        'resource_type',
        'resource_id',
        'project_id',
        'team_id',
        'environment_id',
        'actor_id',
        'source',
        'status',
        'occurred_at',
        'detail',
      ])
        expect(e).toHaveProperty(field);
    expect(
      tl.json.items.filter((e: { source: string }) => e.source === 'runner').length,
    ).toBeGreaterThanOrEqual(4);
    const applied = tl.json.items.at(-1);
    expect(applied.detail.revision_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps production waiting in the inbox until an approver decides, refusing self- and deployer approval', async () => {
    const pv = await preview(deployer.token, f.targets.prodCompose, composeVars('2.0'));
    expect(pv.json).toMatchObject({
      approval_required: true,
      risk_level: expect.stringMatching(/high|critical/),
    });
    const ap = await apply(deployer.token, pv.json.preview_ref);
    expect(ap.status).toBe(202);
    expect(ap.json.lifecycle_state).toBe('pending_approval');
    const ticket = ap.json.approval_ticket;
    expect(ticket).toMatch(/^tkt_/);

    const inbox = await p.request('GET', `/approvals/inbox?project_id=${f.project}&status=pending`, {
      token: approver.token,
    });
    expect(inbox.json.items.map((t: { id: string }) => t.id)).toContain(ticket);
    const detail = await p.request('GET', `/approvals/inbox/${ticket}`, { token: approver.token });
    expect(detail.json.subject.release.diff.unified).toContain('API_KEY: ***');

    const byDeployer = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: deployer.token,
      body: { decision: 'approve' },
    });
    expect(byDeployer.status).toBe(403);
    expect(byDeployer.json.error.message).toContain('deploy:release:approve');

    // An admin who requested a change may not approve it either.
    const adminPv = await preview(f.admin, f.targets.prodCompose, composeVars('2.1'));
    const adminAp = await apply(f.admin, adminPv.json.preview_ref);
    const self = await p.request('POST', `/approvals/inbox/${adminAp.json.approval_ticket}/decision`, {
      token: f.admin,
      body: { decision: 'approve' },
    });
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe('SELF_APPROVAL');

    const ok = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve', comment: 'ship it' },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({
      status: 'approved',
      decided_by: approver.id,
      decision_comment: 'ship it',
    });
    expect((await get(pv.json.id)).lifecycle_state).toBe('approved');
    // The admin's release, previewed before, is now busy-blocked and then rejected.
    const rej = await p.request('POST', `/approvals/inbox/${adminAp.json.approval_ticket}/decision`, {
      token: approver.token,
      body: { decision: 'reject', comment: 'one at a time' },
    });
    expect(rej.status).toBe(200);
    expect((await get(adminPv.json.id)).lifecycle_state).toBe('rejected');
    await run(pv.json.id);
    const tl = await p.request('GET', `/deploy/releases/${pv.json.id}/timeline`, { token: f.admin });
    const decision = tl.json.items.find((e: { action: string }) => e.action === 'approval.approved');
    expect(decision).toMatchObject({ actor_id: approver.id, detail: { comment: 'ship it' } });
  });

  it('lets exactly one of two concurrent deciders win', async () => {
    const pv = await preview(deployer.token, f.targets.prodCompose, composeVars('3.0'));
    const ap = await apply(deployer.token, pv.json.preview_ref);
    const ticket = ap.json.approval_ticket;
    const [a, b] = await Promise.all([
      p.request('POST', `/approvals/inbox/${ticket}/decision`, {
        token: approver.token,
        body: { decision: 'approve' },
      }),
      p.request('POST', `/approvals/inbox/${ticket}/decision`, {
        token: approver2.token,
        body: { decision: 'reject' },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const state = (await get(pv.json.id)).lifecycle_state;
    expect(['approved', 'rejected']).toContain(state);
    if (state === 'approved') await run(pv.json.id);
  });

  it('refuses a used, an unknown, an expired and a stale preview', async () => {
    const admin = f.admin;
    const used = await preview(deployer.token, f.targets.stageCompose, composeVars('4.0'));
    await apply(deployer.token, used.json.preview_ref);
    const again = await apply(deployer.token, used.json.preview_ref);
    expect([again.status, again.json.error.code]).toEqual([409, 'PREVIEW_USED']);
    await run(used.json.id);
    expect((await apply(deployer.token, 'pvw_unknown')).status).toBe(404);
    expect(
      (await p.request('POST', '/deploy/releases/apply', { token: deployer.token, body: {} })).status,
    ).toBe(422);

    // Stale: two previews of one target; the first lands, the second would show a lie.
    const first = await preview(deployer.token, f.targets.stageCompose, composeVars('5.0'));
    const second = await preview(deployer.token, f.targets.stageCompose, composeVars('5.1'));
    await apply(deployer.token, first.json.preview_ref);
    const busy = await apply(deployer.token, second.json.preview_ref);
    expect([busy.status, busy.json.error.code]).toEqual([409, 'TARGET_BUSY']);
    await run(first.json.id);
    const stale = await apply(deployer.token, second.json.preview_ref);
    expect([stale.status, stale.json.error.code]).toEqual([409, 'PREVIEW_STALE']);

    const policy = await p.request('PUT', `/projects/${f.project}/policy`, {
      token: admin,
      body: { preview_ttl_seconds: 2 },
    });
    expect(policy.json.preview_ttl_seconds).toBe(2);
    const late = await preview(deployer.token, f.targets.stageCompose, composeVars('6.0'));
    p.clock.advance(3000);
    const expired = await apply(deployer.token, late.json.preview_ref);
    expect([expired.status, expired.json.error.code]).toEqual([409, 'PREVIEW_EXPIRED']);
    expect((await get(late.json.id)).lifecycle_state).toBe('expired');
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: admin,
      body: { preview_ttl_seconds: 900 },
    });
  });

  it('refuses a decision on an expired ticket and expires its release', async () => {
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { ticket_ttl_seconds: 1 },
    });
    const pv = await preview(deployer.token, f.targets.prodCompose, composeVars('7.0'));
    const ap = await apply(deployer.token, pv.json.preview_ref);
    p.clock.advance(2000);
    const late = await p.request('POST', `/approvals/inbox/${ap.json.approval_ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect([late.status, late.json.error.code]).toEqual([409, 'TICKET_EXPIRED']);
    expect((await get(pv.json.id)).lifecycle_state).toBe('expired');
    const tl = await p.request('GET', `/deploy/releases/${pv.json.id}/timeline`, { token: f.admin });
    expect(tl.json.items.at(-1)).toMatchObject({
      action: 'release.expired',
      detail: { reason: 'ticket_expired' },
    });
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { ticket_ttl_seconds: 1800 },
    });
  });

  it('names a missing or unknown variable with 422', async () => {
    // The k8s target runs nothing yet, so nobody has a value for what is left out (SPEC §7.0).
    const missing = await preview(deployer.token, f.targets.devK8s, { TAG: '1' });
    expect(missing.status).toBe(422);
    expect(missing.json.error.fields).toEqual([expect.objectContaining({ path: 'variables.REPLICAS' })]);
    const unknown = await preview(deployer.token, f.targets.devCompose, { ...composeVars('1'), EXTRA: 'x' });
    expect(unknown.json.error.fields).toEqual([expect.objectContaining({ path: 'variables.EXTRA' })]);
  });

  it('keeps a compose-only deployer away from k8s, in previews and in lists', async () => {
    const role = await p.request('POST', '/roles', {
      token: f.admin,
      body: {
        name: 'compose-deployer',
        permissions: [
          'deploy:release:read',
          'deploy:compose:read',
          'deploy:release:apply',
          'deploy:compose:apply',
        ],
      },
    });
    expect(role.status).toBe(201);
    const u = await p.userWithRole('compose-deployer', f.project);
    const k8s = await preview(u.token, f.targets.devK8s, { TAG: '1', REPLICAS: '2' });
    expect(k8s.status).toBe(403);
    expect(k8s.json.error.message).toContain('deploy:k8s:apply');
    const byAdmin = await preview(f.admin, f.targets.devK8s, { TAG: '1', REPLICAS: '2' });
    expect(byAdmin.status, byAdmin.text).toBe(201);
    const list = await p.request('GET', `/deploy/releases?project_id=${f.project}`, { token: u.token });
    expect(list.json.items.length).toBeGreaterThan(0);
    expect(list.json.items.every((r: { runtime_type: string }) => r.runtime_type === 'compose')).toBe(true);
    expect((await p.request('GET', `/deploy/releases/${byAdmin.json.id}`, { token: u.token })).status).toBe(
      403,
    );
  });

  it('rolls back to the previous revision through the same path and marks the original', async () => {
    const a = await preview(deployer.token, f.targets.devCompose, composeVars('8.0'));
    await apply(deployer.token, a.json.preview_ref);
    await run(a.json.id);
    const b = await preview(deployer.token, f.targets.devCompose, composeVars('9.0'));
    expect(b.json.diff.summary.images_changed).toEqual([
      expect.objectContaining({ from: '127.0.0.1:5000/web:8.0', to: '127.0.0.1:5000/web:9.0' }),
    ]);
    await apply(deployer.token, b.json.preview_ref);
    await run(b.json.id);
    const viewer = await p.userWithRole('viewer', f.project);
    expect(
      (await p.request('POST', `/deploy/releases/${b.json.id}/rollback/preview`, { token: viewer.token }))
        .status,
    ).toBe(403);
    const rb = await p.request('POST', `/deploy/releases/${b.json.id}/rollback/preview`, {
      token: deployer.token,
    });
    expect(rb.status, rb.text).toBe(201);
    expect(rb.json).toMatchObject({ rollback_of: b.json.id, lifecycle_state: 'preview' });
    expect(rb.json.diff.summary.images_changed).toEqual([
      expect.objectContaining({ from: '127.0.0.1:5000/web:9.0', to: '127.0.0.1:5000/web:8.0' }),
    ]);
    await apply(deployer.token, rb.json.preview_ref);
    await run(rb.json.id);
    expect(await get(b.json.id)).toMatchObject({ lifecycle_state: 'rollback', status: 'rolled_back' });
    const tl = await p.request('GET', `/deploy/releases/${b.json.id}/timeline`, { token: f.admin });
    const actions = tl.json.items.map((e: { action: string }) => e.action);
    // Entering `rollback` is the rollback_completed event: SPEC's names, each once.
    expect(actions.slice(-2)).toEqual(['release.rollback_requested', 'release.rollback_completed']);
    expect(actions).not.toContain('release.rollback');
  });

  it('rolls back a failed release to the revision that was applied before it', async () => {
    const good = await preview(deployer.token, f.targets.devCompose, composeVars('13.0'));
    await apply(deployer.token, good.json.preview_ref);
    await run(good.json.id);
    const bad = await preview(deployer.token, f.targets.devCompose, composeVars('13.1'));
    await apply(deployer.token, bad.json.preview_ref);
    await run(bad.json.id, 'failed');
    const rb = await p.request('POST', `/deploy/releases/${bad.json.id}/rollback/preview`, {
      token: deployer.token,
    });
    expect(rb.status, rb.text).toBe(201);
    expect(rb.json).toMatchObject({ rollback_of: bad.json.id, lifecycle_state: 'preview' });
    // What it returns to is what the platform records as running: the release before the failure.
    const db = p.deps.database.db;
    const row = await findRelease(db, rb.json.id);
    const back = await openRevision(p.deps.keys, row!);
    const before = await openRevision(p.deps.keys, (await findRelease(db, good.json.id))!);
    expect(back.rendered).toBe(before.rendered);
    expect(back.secret_values).toEqual(before.secret_values);
    expect(rb.json.checks).toContainEqual(expect.objectContaining({ name: 'changes', status: 'warn' }));
    const ap = await apply(deployer.token, rb.json.preview_ref);
    expect(ap.status, ap.text).toBe(202);
    await run(rb.json.id);
    expect(await get(rb.json.id)).toMatchObject({ lifecycle_state: 'applied' });
  });

  it('refuses to roll back a failed release once another release landed after it', async () => {
    const bad = await preview(deployer.token, f.targets.devCompose, composeVars('14.0'));
    await apply(deployer.token, bad.json.preview_ref);
    await run(bad.json.id, 'failed');
    const next = await preview(deployer.token, f.targets.devCompose, composeVars('14.1'));
    await apply(deployer.token, next.json.preview_ref);
    await run(next.json.id);
    const rb = await p.request('POST', `/deploy/releases/${bad.json.id}/rollback/preview`, {
      token: deployer.token,
    });
    expect([rb.status, rb.json.error.code]).toEqual([409, 'CONFLICT']);
  });

  it('writes a compose secret holding $ escaped for compose, and masks it in that form too', async () => {
    const value = registerSecret(`pa$word-${Math.random().toString(36).slice(2)}`);
    const pv = await preview(deployer.token, f.targets.devCompose, { TAG: '15.0', API_KEY: value });
    expect(pv.status, pv.text).toBe(201);
    expect(pv.json.diff.unified).toContain('API_KEY: ***');
    expect(pv.text).not.toContain(value.replace('$', () => '$$'));
    const sealed = await openRevision(p.deps.keys, (await findRelease(p.deps.database.db, pv.json.id))!);
    expect(sealed.rendered).toContain(`API_KEY: ${value.replace('$', () => '$$')}\n`);
    expect(sealed.secret_values).toEqual({ API_KEY: value });
  });

  it('returns the reasons of its risk, and rates host-level powers high on either runtime', async () => {
    const body = (compose_file: string | undefined, k8s_manifest: string | undefined) => ({
      project_id: f.project,
      name: `powers-${Math.random().toString(36).slice(2, 8)}`,
      ...(compose_file ? { compose_file } : {}),
      ...(k8s_manifest ? { k8s_manifest } : {}),
    });
    const composeSvc = await p.request('POST', '/services', {
      token: f.admin,
      body: body(
        `services:\n  web:\n    image: 127.0.0.1:5000/web:\${TAG}\n    cap_add: [SYS_ADMIN]\n`,
        undefined,
      ),
    });
    expect(composeSvc.status, composeSvc.text).toBe(201);
    // A target of its own, so nothing applied earlier changes the rating.
    const stage = (await p.request('GET', `/deploy/targets/${f.targets.stageCompose}`, { token: f.admin }))
      .json;
    const fresh = await p.request('POST', '/deploy/targets', {
      token: f.admin,
      body: {
        project_id: f.project,
        environment_id: f.envs.stage,
        name: 'stage-powers',
        runtime_type: 'compose',
        host_ids: stage.host_ids,
        compose_project: 'powers',
      },
    });
    expect(fresh.status, fresh.text).toBe(201);
    const onStage = await p.request('POST', '/deploy/releases/preview', {
      token: deployer.token,
      body: { service_id: composeSvc.json.id, target_id: fresh.json.id, variables: { TAG: '1' } },
    });
    expect(onStage.status, onStage.text).toBe(201);
    expect(onStage.json.risk_level).toBe('high');
    expect(onStage.json.risk_reasons).toEqual([
      { rule: 'host_power', detail: 'service web adds capabilities SYS_ADMIN' },
      { rule: 'staging_change', detail: 'changes a staging environment' },
    ]);
    const k8sSvc = await p.request('POST', '/services', {
      token: f.admin,
      body: body(
        undefined,
        K8S_MANIFEST.replace('spec:\n      containers:', 'spec:\n      hostNetwork: true\n      containers:'),
      ),
    });
    expect(k8sSvc.status, k8sSvc.text).toBe(201);
    const onDev = await p.request('POST', '/deploy/releases/preview', {
      token: deployer.token,
      body: {
        service_id: k8sSvc.json.id,
        target_id: f.targets.devK8s,
        variables: { TAG: '1', REPLICAS: '1' },
      },
    });
    expect(onDev.status, onDev.text).toBe(201);
    expect(onDev.json).toMatchObject({
      risk_level: 'high',
      risk_reasons: [{ rule: 'host_power', detail: "Deployment/web shares the host's network namespace" }],
    });
    expect((await get(onDev.json.id)).risk_reasons).toEqual(onDev.json.risk_reasons);
  });

  it('fails a release that went stale while queued instead of handing it to a runner', async () => {
    const db = p.deps.database.db;
    // Two previews on one base; the first is applied and approved, the second waits in the inbox.
    const first = await preview(deployer.token, f.targets.prodCompose, composeVars('12.0'));
    const second = await preview(deployer.token, f.targets.prodCompose, composeVars('12.1'));
    const t1 = (await apply(deployer.token, first.json.preview_ref)).json.approval_ticket;
    const t2 = (await apply(deployer.token, second.json.preview_ref)).json.approval_ticket;
    await p.request('POST', `/approvals/inbox/${t1}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    const busy = await p.request('POST', `/approvals/inbox/${t2}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect([busy.status, busy.json.error.code]).toEqual([409, 'TARGET_BUSY']);
    await run(first.json.id);
    const stale = await p.request('POST', `/approvals/inbox/${t2}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'PREVIEW_STALE']);
    // Forced past the checks (as a queue race could): the claim refuses to hand it out.
    await db.transaction(async (tx) => {
      const { createJob } = await import('../jobs/service');
      const { releases } = await import('../../platform/db/schema');
      const { eq } = await import('drizzle-orm');
      await tx.update(releases).set({ lifecycleState: 'approved' }).where(eq(releases.id, second.json.id));
      await createJob(tx, p.clock, {
        kind: 'release_apply',
        projectId: f.project,
        environmentId: f.envs.prod,
        runnerPoolId: f.pool,
        resourceType: 'release',
        resourceId: second.json.id,
        payload: {},
      });
    });
    const lease = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease).toBeNull();
    expect(await get(second.json.id)).toMatchObject({
      lifecycle_state: 'failed',
      diagnostics_json: { error_code: 'PREVIEW_STALE' },
    });
  });

  it('refuses approval by the person who previewed the change, even when someone else applied it', async () => {
    const both = await p.userWithRole('approver', f.project);
    await p.request('POST', '/role-bindings', {
      token: f.admin,
      body: { username: both.username, role: 'deployer', project_id: f.project },
    });
    const token = await p.login(both.username, 'a long enough password');
    const pv = await preview(token, f.targets.prodCompose, composeVars('13.0'));
    const ap = await apply(deployer.token, pv.json.preview_ref);
    const self = await p.request('POST', `/approvals/inbox/${ap.json.approval_ticket}/decision`, {
      token,
      body: { decision: 'approve' },
    });
    expect([self.status, self.json.error.code]).toEqual([403, 'SELF_APPROVAL']);
    await p.request('POST', `/approvals/inbox/${ap.json.approval_ticket}/decision`, {
      token: approver.token,
      body: { decision: 'reject' },
    });
  });

  it('records a failed apply with its diagnostics', async () => {
    const pv = await preview(deployer.token, f.targets.devCompose, composeVars('10.0'));
    await apply(deployer.token, pv.json.preview_ref);
    await run(pv.json.id, 'failed');
    expect(await get(pv.json.id)).toMatchObject({
      lifecycle_state: 'failed',
      status: 'failed',
      diagnostics_json: { error_code: 'APPLY_FAILED', stderr: 'manifest unknown' },
    });
  });

  it('refuses writes with a stale lease or from another runner, and records a repeated step once', async () => {
    const db = p.deps.database.db;
    const pv = await preview(deployer.token, f.targets.devCompose, composeVars('11.0'));
    await apply(deployer.token, pv.json.preview_ref);
    const first = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_a',
      leaseSeconds: 5,
      kinds: p.deps.jobKinds,
    });
    p.clock.advance(6000);
    const second = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_b',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(second?.job.id).toBe(first?.job.id);
    expect(second!.leaseToken).toBe(first!.leaseToken + 1);
    // The newest token from another runner is refused too: a token alone is a guessable counter.
    await expect(
      reportStep(
        db,
        p.clock,
        { ...second!, runnerId: 'run_a' },
        { name: 'x', attempt: 1, status: 'running' },
      ),
    ).rejects.toMatchObject({
      code: 'LEASE_LOST',
    });
    const step = { name: 'compose.up', attempt: 1, status: 'succeeded' as const };
    await expect(reportStep(db, p.clock, first!, step)).rejects.toMatchObject({
      code: 'LEASE_LOST',
    });
    expect(await reportStep(db, p.clock, second!, step)).toEqual({
      recorded: true,
    });
    expect(await reportStep(db, p.clock, second!, step)).toEqual({
      recorded: false,
    });
    await expect(
      completeJob(db, p.clock, first!, { status: 'succeeded' }, p.deps.jobKinds),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await completeJob(db, p.clock, second!, { status: 'succeeded' }, p.deps.jobKinds);
    expect((await get(pv.json.id)).lifecycle_state).toBe('applied');
  });
});
