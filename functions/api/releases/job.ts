import { ReleaseApplyPayload, releaseApplyKind } from '../../../shared/jobs/release-apply';
import { oweWork } from '../cd/repo';
import { keepComposeSeen } from '../hosts/compose-seen';
import type { JobKindHandler } from '../jobs/kind';
import { findTarget } from '../targets/repo';
import { isFresh, onOriginal, SYSTEM, transition } from './lifecycle';
import { findRelease, lockRelease, lockReleaseTarget, setAppliedRelease } from './repo';
import { openRevision } from './revision';

const runnerOf = (job: { runnerId: string | null }) => ({ userId: job.runnerId, source: 'runner' as const });

/** What the runner's claim and completion of a release's job do to the release. */
export const releaseJob: JobKindHandler = {
  definition: releaseApplyKind,
  async lockFor(tx, job) {
    await lockReleaseTarget(tx, job.resourceId);
    await lockRelease(tx, job.resourceId);
  },
  async onClaimed(tx, job, clock) {
    const r = await findRelease(tx, job.resourceId);
    if (r?.lifecycleState !== 'approved') return false;
    if (!(await isFresh(tx, r))) {
      // Dispatch re-checks too: the release fails with the code rather than run a stale revision.
      await transition(tx, clock, r, 'failed', SYSTEM, {
        diagnosticsJson: {
          error_code: 'PREVIEW_STALE',
          message: 'another release landed on the target first',
        },
      });
      return false;
    }
    await transition(tx, clock, r, 'applying', runnerOf(job), {}, { job_id: job.id });
    return true;
  },
  async workOrder(job, { db, keys, host, cluster }) {
    const payload = ReleaseApplyPayload.parse(job.payload);
    const release = await findRelease(db, payload.release_id);
    const target = await findTarget(db, payload.target_id);
    if (!release || !target) throw new Error(`release ${payload.release_id} or its target is gone`);
    const sealed = await openRevision(keys, release);
    // What the apply replaces, for pruning: the release it rolls back (for an applied one that is
    // its base; a failed one may have half-landed, and what only it created must go), else its base.
    const undoneId = release.rollbackOf ?? release.baseReleaseId;
    const undone = undoneId ? await findRelease(db, undoneId) : undefined;
    const previous = undone?.secretEnvelope ? (await openRevision(keys, undone)).rendered : null;
    return {
      kind: 'release_apply',
      release: payload,
      target: {
        id: target.id,
        runtime_type: target.runtimeType,
        namespace: target.namespace,
        compose_project: target.composeProject,
      },
      rendered: sealed.rendered,
      previous_rendered: previous,
      secret_values: Object.values(sealed.secret_values).filter((v) => v.length > 0),
      hosts: target.runtimeType === 'compose' ? await Promise.all(target.hostIds.map(host)) : [],
      cluster: target.runtimeType === 'k8s' && target.clusterId ? await cluster(target.clusterId) : null,
    };
  },
  // The target's hosts, as they are now: the payload names only the target.
  async hostsOf(tx, job) {
    const target = await findTarget(tx, String(job.payload.target_id));
    return target?.hostIds ?? [];
  },
  // What compose a host runs, as the release's detect step found it, for later previews.
  async onStep(tx, job, step, clock) {
    const target = await findTarget(tx, String(job.payload.target_id));
    await keepComposeSeen(tx, job, step, clock, target?.hostIds ?? []);
  },
  async onCompleted(tx, job, report, clock) {
    const r = await findRelease(tx, job.resourceId);
    if (r?.lifecycleState !== 'applying') return;
    const runner = runnerOf(job);
    if (report.status === 'failed') {
      const diagnostics = { ...(report.diagnostics ?? {}), error_code: report.error_code ?? 'APPLY_FAILED' };
      await transition(
        tx,
        clock,
        r,
        'failed',
        runner,
        { diagnosticsJson: diagnostics },
        { error_code: diagnostics.error_code },
      );
      await onOriginal(tx, clock, r, 'release.rollback_failed', runner, {
        error_code: diagnostics.error_code,
      });
      // A runner ran it and it failed: its CD policy may roll it back (never a rollback itself).
      if (!r.rollbackOf) await oweWork(tx, 'rollback', r.id, clock.now());
      return;
    }
    const now = clock.now();
    await transition(
      tx,
      clock,
      r,
      'applied',
      runner,
      { appliedAt: now, diagnosticsJson: report.diagnostics ?? null },
      { revision_digest: r.revisionDigest, job_id: job.id },
    );
    await setAppliedRelease(tx, r.targetId, r.id, now);
    if (r.rollbackOf) {
      const original = await lockRelease(tx, r.rollbackOf);
      // Entering `rollback` is the original's release.rollback_completed event; a failed original
      // is rolled back as much as an applied one.
      if (original?.lifecycleState === 'applied' || original?.lifecycleState === 'failed')
        await transition(tx, clock, original, 'rollback', runner, {}, { rollback_release_id: r.id });
    }
  },
};
