import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { claimJob, completeJob } from '../jobs/service';
import { releaseJob } from './job';
import { findRelease } from './repo';
import { openRevision } from './revision';

/** SPEC §7.5: what was approved can be read back, and its digest recomputed by anyone. */
describe.each(await backends())('the masked revision of a release on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; token: string };
  let approver: { id: string; token: string };

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'masked');
    deployer = await p.userWithRole('deployer', f.project);
    approver = await p.userWithRole('approver', f.project);
  });
  afterAll(() => p.close());

  const preview = (target: string, variables: Record<string, string>) =>
    p.request('POST', '/deploy/releases/preview', {
      token: deployer.token,
      body: { service_id: f.serviceId, target_id: target, variables },
    });
  const apply = (preview_ref: string) =>
    p.request('POST', '/deploy/releases/apply', { token: deployer.token, body: { preview_ref } });
  const revision = (id: string, token = f.admin) =>
    p.request('GET', `/deploy/releases/${id}/revision`, { token });
  const rollback = (id: string) =>
    p.request('POST', `/deploy/releases/${id}/rollback/preview`, { token: deployer.token });
  const state = async (id: string) =>
    (await p.request('GET', `/deploy/releases/${id}`, { token: f.admin })).json.lifecycle_state;
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  /** The tag the masked revision shows for API_KEY. */
  const apiKeyTag = (masked: string) => /API_KEY: \*\*\*([0-9a-f]{8})\n/.exec(masked)?.[1];

  /** Plays the runner for this release's job; returns its job row for the work order. */
  async function run(releaseId: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
    const db = p.deps.database.db;
    const lease = await claimJob(db, p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease?.job.resourceId).toBe(releaseId);
    await completeJob(
      db,
      p.clock,
      lease!,
      outcome === 'succeeded' ? { status: 'succeeded' } : { status: 'failed', error_code: 'APPLY_FAILED' },
      p.deps.jobKinds,
    );
    return lease!.job;
  }

  /** What a runner claiming the job is handed (hosts left out: not what is under test). */
  const workOrderOf = async (job: Parameters<typeof releaseJob.workOrder>[0]) =>
    (await releaseJob.workOrder(job, {
      db: p.deps.database.db,
      keys: p.deps.keys,
      host: async (id) => ({ id }) as never,
      cluster: async () => null as never,
    })) as unknown as { rendered: string; previous_rendered: string | null };

  it('answers the masked revision whose sha256 is its masked_digest, with no secret in it', async () => {
    const vars = composeVars('1.0');
    const pv = await preview(f.targets.devCompose, vars);
    expect(pv.status, pv.text).toBe(201);
    const res = await revision(pv.json.id);
    expect(res.status, res.text).toBe(200);
    const row = await findRelease(p.deps.database.db, pv.json.id);
    expect(res.json).toEqual({
      release_id: pv.json.id,
      masked_revision: expect.any(String),
      masked_digest: sha256(res.json.masked_revision),
      revision_digest: row!.revisionDigest,
    });
    expect(apiKeyTag(res.json.masked_revision)).toMatch(/^[0-9a-f]{8}$/);
    expect(res.json.masked_revision).toContain('image: 127.0.0.1:5000/web:1.0');
    expect(res.text).not.toContain(vars.API_KEY);
  });

  it('needs the runtime’s read permission, like the release itself', async () => {
    const pv = await preview(f.targets.devCompose, composeVars('2.0'));
    const viewer = await p.userWithRole('viewer', f.project);
    expect((await revision(pv.json.id, viewer.token)).status).toBe(200);
    const role = await p.request('POST', '/roles', {
      token: f.admin,
      body: { name: 'k8s-reader', permissions: ['deploy:release:read', 'deploy:k8s:read'] },
    });
    expect(role.status, role.text).toBe(201);
    const k8sOnly = await p.userWithRole('k8s-reader', f.project);
    const refused = await revision(pv.json.id, k8sOnly.token);
    expect([refused.status, refused.json.error.message]).toEqual([
      403,
      expect.stringContaining('deploy:compose:read'),
    ]);
    expect((await revision('rel_missing')).status).toBe(404);
  });

  it('tags a secret alike across a rollback when unchanged, and differently when changed', async () => {
    const first = composeVars('3.0');
    const a = await preview(f.targets.devCompose, first);
    await apply(a.json.preview_ref);
    await run(a.json.id);
    // Same value again: same tag, though this is another release with its own digest key.
    const same = await preview(f.targets.devCompose, { ...first, TAG: '3.0.1' });
    const b = await preview(f.targets.devCompose, composeVars('3.1'));
    await apply(b.json.preview_ref);
    await run(b.json.id);
    const rb = await rollback(b.json.id);
    expect(rb.status, rb.text).toBe(201);

    const tagOf = async (id: string) => apiKeyTag((await revision(id)).json.masked_revision);
    const tagA = await tagOf(a.json.id);
    expect(tagA).toBeDefined();
    expect(await tagOf(same.json.id)).toBe(tagA);
    expect(await tagOf(b.json.id)).not.toBe(tagA);
    expect(await tagOf(rb.json.id)).toBe(tagA);
    // The rollback returns to a's revision, so it reads back as exactly a's text.
    expect((await revision(rb.json.id)).json.masked_revision).toBe(
      (await revision(a.json.id)).json.masked_revision,
    );
  });

  it('puts both digests on the release’s ticket, in the inbox and in the approval.approved event', async () => {
    const pv = await preview(f.targets.prodCompose, composeVars('4.0'));
    const ap = await apply(pv.json.preview_ref);
    expect(ap.json.lifecycle_state).toBe('pending_approval');
    const ticket = ap.json.approval_ticket;
    const rev = (await revision(pv.json.id)).json;
    const digests = { revision_digest: rev.revision_digest, masked_digest: rev.masked_digest };

    const detail = await p.request('GET', `/approvals/inbox/${ticket}`, { token: approver.token });
    expect(detail.json).toMatchObject(digests);
    const inbox = await p.request('GET', `/approvals/inbox?project_id=${f.project}`, {
      token: approver.token,
    });
    expect(inbox.json.items.find((t: { id: string }) => t.id === ticket)).toMatchObject(digests);

    const ok = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect(ok.json).toMatchObject({ status: 'approved', ...digests });
    const events = await p.request('GET', '/audit/events?action=approval.approved', { token: f.admin });
    const event = events.json.items.find((e: { resource_id: string }) => e.resource_id === ticket);
    expect(event.detail).toMatchObject({ resource_id: pv.json.id, ...digests });
    await run(pv.json.id);
  });

  it('moves a failed release to rollback when its rollback lands, pruning against the failed revision', async () => {
    const good = await preview(f.targets.devCompose, composeVars('5.0'));
    await apply(good.json.preview_ref);
    await run(good.json.id);
    const bad = await preview(f.targets.devCompose, composeVars('5.1'));
    await apply(bad.json.preview_ref);
    await run(bad.json.id, 'failed');
    const rb = await rollback(bad.json.id);
    await apply(rb.json.preview_ref);
    const job = await run(rb.json.id);

    expect(await state(rb.json.id)).toBe('applied');
    expect(await state(bad.json.id)).toBe('rollback');
    const db = p.deps.database.db;
    const sealed = async (id: string) =>
      (await openRevision(p.deps.keys, (await findRelease(db, id))!)).rendered;
    const order = await workOrderOf(job);
    // What it replaces is what the failed release may have half-applied, not the good revision.
    expect(order.rendered).toBe(await sealed(good.json.id));
    expect(order.previous_rendered).toBe(await sealed(bad.json.id));
    expect(order.previous_rendered).not.toBe(order.rendered);
  });

  it('prunes an ordinary apply against the revision it replaces', async () => {
    const a = await preview(f.targets.devCompose, composeVars('6.0'));
    await apply(a.json.preview_ref);
    await run(a.json.id);
    const b = await preview(f.targets.devCompose, composeVars('6.1'));
    await apply(b.json.preview_ref);
    const job = await run(b.json.id);
    const db = p.deps.database.db;
    const order = await workOrderOf(job);
    expect(order.previous_rendered).toBe(
      (await openRevision(p.deps.keys, (await findRelease(db, a.json.id))!)).rendered,
    );
  });
});
