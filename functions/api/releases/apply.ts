import type { AuditAction } from '../../../shared/events';
import type { CompleteReport } from '../../../shared/jobs/kinds';
import type { ApplyReleaseRequest, LifecycleState, Release } from '../../../shared/releases';
import { auditActionForEntering, canTransition } from '../../../shared/releases';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { createTicket, type TicketHandler } from '../approvals/service';
import { type AuditInput, recordEvent } from '../audit/writer';
import { findEnvironment } from '../environments/repo';
import { ApiError } from '../errors';
import { createJob, type JobHandler } from '../jobs/service';
import { requirePermissions } from '../middleware/authorize';
import { policyOf } from '../policy/service';
import { findTarget } from '../targets/repo';
import { applyPermissions, type ReleaseCtx } from './preview';
import {
  busyRelease,
  findByPreviewRef,
  findRelease,
  lockRelease,
  lockTarget,
  moveRelease,
  type ReleaseRow,
  setAppliedRelease,
} from './repo';
import { toRelease } from './view';

type Actor = AuditInput['actor'];

async function transition(
  tx: Db,
  clock: Clock,
  r: ReleaseRow,
  to: LifecycleState,
  actor: Actor,
  set: Partial<ReleaseRow> = {},
  detail: Record<string, unknown> = {},
): Promise<ReleaseRow> {
  if (!canTransition(r.lifecycleState as LifecycleState, to))
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

/** An event on the release a rollback returns from, so its own timeline tells the story. */
async function onOriginal(
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

/** Re-checked at apply, at approval and at dispatch: what was approved is what runs. */
function assertFresh(r: ReleaseRow, appliedReleaseId: string | null) {
  if ((appliedReleaseId ?? null) !== (r.baseReleaseId ?? null))
    throw new ApiError(
      'PREVIEW_STALE',
      'another release landed on the target since this preview; preview again',
    );
}

async function assertTargetFree(tx: Db, r: ReleaseRow) {
  const busy = await busyRelease(tx, r.targetId, r.id);
  if (busy)
    throw new ApiError(
      'TARGET_BUSY',
      `release ${busy.id} is ${busy.lifecycleState} on this target; retry once it ends`,
    );
}

/** approved + its job, in the caller's transaction. */
async function approveAndQueue(tx: Db, clock: Clock, r: ReleaseRow, actor: Actor) {
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

export async function applyRelease(input: ApplyReleaseRequest, ctx: ReleaseCtx): Promise<Release> {
  const found = await findByPreviewRef(ctx.db, input.preview_ref);
  if (!found) throw new ApiError('NOT_FOUND', 'no preview with that preview_ref');
  await requirePermissions(
    ctx.grants,
    applyPermissions(found.runtimeType, Boolean(found.rollbackOf)),
    found.projectId,
  );

  const expired = await ctx.db.transaction(async (tx) => {
    const r = await lockRelease(tx, found.id);
    if (r?.lifecycleState === 'preview' && r.expiresAt <= ctx.clock.now()) {
      await transition(
        tx,
        ctx.clock,
        r,
        'expired',
        { userId: null, source: 'system' },
        {},
        { reason: 'preview_expired' },
      );
      return true;
    }
    return false;
  });
  if (expired) throw new ApiError('PREVIEW_EXPIRED', 'the preview expired; preview again');

  return ctx.db.transaction(async (tx) => {
    const target = await lockTarget(tx, found.targetId);
    const r = await lockRelease(tx, found.id);
    if (!r || !target) throw new ApiError('NOT_FOUND', 'release not found');
    if (r.lifecycleState === 'expired')
      throw new ApiError('PREVIEW_EXPIRED', 'the preview expired; preview again');
    if (r.lifecycleState !== 'preview')
      throw new ApiError('PREVIEW_USED', 'this preview was applied already');
    assertFresh(r, target.appliedReleaseId);
    if (r.rollbackOf) await onOriginal(tx, ctx.clock, r, 'release.rollback_requested', ctx.actor);
    if (r.approvalRequired) {
      const policy = await policyOf(tx, r.projectId);
      const ticket = await createTicket(tx, ctx.clock, {
        projectId: r.projectId,
        environmentId: r.environmentId,
        kind: r.rollbackOf ? 'release_rollback' : 'release_apply',
        resourceType: 'release',
        resourceId: r.id,
        riskLevel: r.riskLevel,
        requestedBy: ctx.actor.userId,
        ttlSeconds: policy.ticket_ttl_seconds,
        source: ctx.actor.source,
      });
      return toRelease(
        await transition(
          tx,
          ctx.clock,
          r,
          'pending_approval',
          ctx.actor,
          { approvalTicketId: ticket.id },
          {
            approval_ticket: ticket.id,
          },
        ),
      );
    }
    await assertTargetFree(tx, r);
    return toRelease((await approveAndQueue(tx, ctx.clock, r, ctx.actor)).approved);
  });
}

/** What a decided or expired ticket does to its release. */
export const releaseTicketHandler: TicketHandler = {
  async lockFor(tx, ticket) {
    await lockReleaseTarget(tx, ticket.resourceId);
    await lockRelease(tx, ticket.resourceId);
  },
  async onApproved(tx, ticket, ctx) {
    const r = await findRelease(tx, ticket.resourceId);
    if (!r) return;
    // Whoever wrote the change does not approve it either, even when someone else applied it.
    if (r.createdBy === ctx.actor.userId)
      throw new ApiError('SELF_APPROVAL', 'a change cannot be approved by the person who previewed it');
    const target = await findTarget(tx, r.targetId);
    assertFresh(r, target?.appliedReleaseId ?? null);
    await assertTargetFree(tx, r);
    await approveAndQueue(tx, ctx.clock, r, ctx.actor);
  },
  async onRejected(tx, ticket, ctx) {
    const r = await findRelease(tx, ticket.resourceId);
    if (!r) return;
    await transition(tx, ctx.clock, r, 'rejected', ctx.actor, {}, { approval_ticket: ticket.id });
  },
  async onExpired(tx, ticket, clock) {
    const r = await findRelease(tx, ticket.resourceId);
    if (r?.lifecycleState !== 'pending_approval') return;
    await transition(
      tx,
      clock,
      r,
      'expired',
      { userId: null, source: 'system' },
      {},
      { reason: 'ticket_expired' },
    );
  },
  async describe(db, ticket) {
    const r = await findRelease(db, ticket.resourceId);
    return r ? { release: toRelease(r) } : null;
  },
};

async function lockReleaseTarget(tx: Db, releaseId: string) {
  const r = await findRelease(tx, releaseId);
  return r ? lockTarget(tx, r.targetId) : undefined;
}

/** What the runner's claim and completion do to the release. */
export const releaseJobHandler: JobHandler = {
  async lockFor(tx, job) {
    await lockReleaseTarget(tx, job.resourceId);
    await lockRelease(tx, job.resourceId);
  },
  async onClaimed(tx, job, clock) {
    const r = await findRelease(tx, job.resourceId);
    if (r?.lifecycleState !== 'approved') return false;
    const target = await findTarget(tx, r.targetId);
    if ((target?.appliedReleaseId ?? null) !== (r.baseReleaseId ?? null)) {
      // Dispatch re-checks too: the release fails with the code rather than run a stale revision.
      await transition(
        tx,
        clock,
        r,
        'failed',
        { userId: null, source: 'system' },
        {
          diagnosticsJson: {
            error_code: 'PREVIEW_STALE',
            message: 'another release landed on the target first',
          },
        },
      );
      return false;
    }
    await transition(
      tx,
      clock,
      r,
      'applying',
      { userId: job.runnerId, source: 'runner' },
      {},
      { job_id: job.id },
    );
    return true;
  },
  async onCompleted(tx, job, report: CompleteReport, clock) {
    const r = await findRelease(tx, job.resourceId);
    if (r?.lifecycleState !== 'applying') return;
    const runner = { userId: job.runnerId, source: 'runner' as const };
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
      // Entering `rollback` is the original's release.rollback_completed event.
      if (original?.lifecycleState === 'applied')
        await transition(tx, clock, original, 'rollback', runner, {}, { rollback_release_id: r.id });
    }
  },
};
