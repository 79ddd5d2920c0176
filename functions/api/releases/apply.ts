import type { ApplyReleaseRequest, Check, Release } from '../../../shared/releases';
import { createTicket } from '../approvals/service';
import { ApiError } from '../errors';
import { requirePermissions } from '../middleware/authorize';
import { policyOf } from '../policy/service';
import { blockingChecks } from './access-checks';
import {
  approveAndQueue,
  assertFresh,
  assertTargetFree,
  expirePreview,
  isPreviewDue,
  onOriginal,
  transition,
} from './lifecycle';
import { applyPermissions, type ReleaseCtx } from './preview';
import { findByPreviewRef, lockRelease, lockTarget } from './repo';
import { toRelease } from './view';

export async function applyRelease(input: ApplyReleaseRequest, ctx: ReleaseCtx): Promise<Release> {
  const found = await findByPreviewRef(ctx.db, input.preview_ref);
  if (!found) throw new ApiError('NOT_FOUND', 'no preview with that preview_ref');
  await requirePermissions(
    ctx.grants,
    applyPermissions(found.runtimeType, Boolean(found.rollbackOf)),
    found.projectId,
  );

  // Committed on its own: the 410 below must not roll the expiry back.
  const expired = await ctx.db.transaction(async (tx) => {
    const r = await lockRelease(tx, found.id);
    if (!r || !isPreviewDue(r, ctx.clock)) return false;
    await expirePreview(tx, ctx.clock, r);
    return true;
  });
  if (expired) throw new ApiError('PREVIEW_EXPIRED', 'the preview expired; preview again');

  return ctx.db.transaction(async (tx) => {
    const target = await lockTarget(tx, found.targetId);
    const r = await lockRelease(tx, found.id);
    if (!r || !target) throw new ApiError('NOT_FOUND', 'release not found');
    // A target deleted after the preview takes no release.
    if (target.deletedAt) throw new ApiError('NOT_FOUND', 'target not found');
    if (r.lifecycleState === 'expired')
      throw new ApiError('PREVIEW_EXPIRED', 'the preview expired; preview again');
    if (r.lifecycleState !== 'preview')
      throw new ApiError('PREVIEW_USED', 'this preview was applied already');
    await assertFresh(tx, r, target.appliedReleaseId);
    // Only `fail` blocks (SPEC §4): the job could only end the way the check says.
    const failed = blockingChecks(r.checks as Check[]);
    if (failed.length)
      throw new ApiError('CONFLICT', 'the preview has failed checks: fix them and preview again', failed);
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
      const pending = await transition(
        tx,
        ctx.clock,
        r,
        'pending_approval',
        ctx.actor,
        { approvalTicketId: ticket.id },
        { approval_ticket: ticket.id },
      );
      return toRelease(pending);
    }
    await assertTargetFree(tx, r);
    return toRelease((await approveAndQueue(tx, ctx.clock, r, ctx.actor)).approved);
  });
}
