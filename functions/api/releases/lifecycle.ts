import type { AuditAction } from '../../../shared/events';
import { auditActionForEntering, canTransition, type LifecycleState } from '../../../shared/releases';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { type AuditInput, recordEvent } from '../audit/writer';
import { findEnvironment } from '../environments/repo';
import { ApiError } from '../errors';
import { createJob } from '../jobs/service';
import { findTarget } from '../targets/repo';
import { busyRelease, moveRelease, type ReleaseRow } from './repo';

/**
 * The release state machine on the platform: the one place a release's state changes (through
 * the shared transition table), and the checks every path that moves a release repeats: apply,
 * approval, the runner's claim and the expiry sweep.
 */
export type Actor = AuditInput['actor'];
export const SYSTEM: Actor = { userId: null, source: 'system' };

export async function transition(
  tx: Db,
  clock: Clock,
  r: ReleaseRow,
  to: LifecycleState,
  actor: Actor,
  set: Partial<ReleaseRow> = {},
  detail: Record<string, unknown> = {},
): Promise<ReleaseRow> {
  if (!canTransition(r.lifecycleState, to))
    throw new ApiError('ILLEGAL_TRANSITION', `a release cannot go from ${r.lifecycleState} to ${to}`);
  const now = clock.now();
  const next = { ...set, lifecycleState: to, updatedAt: now };
  if (!(await moveRelease(tx, r.id, r.lifecycleState, next)))
    throw new ApiError('ILLEGAL_TRANSITION', 'the release changed meanwhile');
  await recordEvent(tx, clock, {
    action: auditActionForEntering(to),
    resourceType: 'release',
    resourceId: r.id,
    projectId: r.projectId,
    environmentId: r.environmentId,
    actor,
    status: to,
    detail,
  });
  return { ...r, ...next };
}

/** A preview nobody applied in time: expired by the sweep, or by the apply that found it late. */
export function isPreviewDue(r: ReleaseRow, clock: Clock): boolean {
  return r.lifecycleState === 'preview' && r.expiresAt <= clock.now();
}

export const expirePreview = (tx: Db, clock: Clock, r: ReleaseRow) =>
  transition(tx, clock, r, 'expired', SYSTEM, {}, { reason: 'preview_expired' });

/** An event on the release a rollback returns from, so its own timeline tells the story. */
export async function onOriginal(
  tx: Db,
  clock: Clock,
  r: ReleaseRow,
  action: AuditAction,
  actor: Actor,
  detail = {},
) {
  if (!r.rollbackOf) return;
  await recordEvent(tx, clock, {
    action,
    resourceType: 'release',
    resourceId: r.rollbackOf,
    projectId: r.projectId,
    environmentId: r.environmentId,
    actor,
    detail: { rollback_release_id: r.id, ...detail },
  });
}

/**
 * Fresh: the target still runs what the preview was computed against. Checked at apply, at
 * approval and at the runner's claim: what was approved is what runs.
 */
export async function isFresh(tx: Db, r: ReleaseRow, appliedReleaseId?: string | null): Promise<boolean> {
  const applied =
    appliedReleaseId === undefined
      ? ((await findTarget(tx, r.targetId))?.appliedReleaseId ?? null)
      : appliedReleaseId;
  return (applied ?? null) === (r.baseReleaseId ?? null);
}

export async function assertFresh(tx: Db, r: ReleaseRow, appliedReleaseId?: string | null) {
  if (!(await isFresh(tx, r, appliedReleaseId)))
    throw new ApiError(
      'PREVIEW_STALE',
      'another release landed on the target since this preview; preview again',
    );
}

/** One release at a time holds a target: approved (queued) or applying. */
export async function assertTargetFree(tx: Db, r: ReleaseRow) {
  const busy = await busyRelease(tx, r.targetId, r.id);
  if (busy)
    throw new ApiError(
      'TARGET_BUSY',
      `release ${busy.id} is ${busy.lifecycleState} on this target; retry once it ends`,
    );
}

/** approved + its job, in the caller's transaction (the job is what the runner claims). */
export async function approveAndQueue(tx: Db, clock: Clock, r: ReleaseRow, actor: Actor) {
  const env = await findEnvironment(tx, r.environmentId);
  const approved = await transition(tx, clock, r, 'approved', actor);
  const job = await createJob(tx, clock, {
    kind: 'release_apply',
    projectId: r.projectId,
    environmentId: r.environmentId,
    runnerPoolId: env?.runnerPoolId ?? null,
    resourceType: 'release',
    resourceId: r.id,
    payload: {
      release_id: r.id,
      target_id: r.targetId,
      runtime_type: r.runtimeType,
      strategy: r.strategy,
      revision_digest: r.revisionDigest,
      rollback_of: r.rollbackOf,
    },
  });
  return { approved, job };
}
