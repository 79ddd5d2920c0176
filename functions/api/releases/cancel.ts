import type { Release } from '../../../shared/releases';
import { findTicket, lockTicket } from '../approvals/repo';
import { expireWithdrawnTicket } from '../approvals/service';
import { ApiError, notFound } from '../errors';
import { cancelJobs, lockQueuedJobs } from '../jobs/service';
import { requirePermissions } from '../middleware/authorize';
import { transition } from './lifecycle';
import { applyPermissions, type ReleaseCtx } from './preview';
import { findRelease, lockRelease, lockTarget, type ReleaseRow } from './repo';
import { toRelease } from './view';

/** Who may withdraw a release (SPEC §7.0): whoever asked for it, or anyone who could apply it. */
async function assertMayCancel(r: ReleaseRow, requestedBy: string | null, ctx: ReleaseCtx) {
  const me = ctx.actor.userId;
  if (me !== null && (r.createdBy === me || requestedBy === me)) return;
  await requirePermissions(ctx.grants, applyPermissions(r.runtimeType, Boolean(r.rollbackOf)), r.projectId);
}

/**
 * Withdraws a release nobody has claimed yet: `pending_approval` or `approved` become `cancelled`,
 * a still-pending ticket `expired`, the queued job ends so no runner takes it, and the target is
 * free again. A claimed release is the runner's: 409.
 */
export async function cancelRelease(id: string, ctx: ReleaseCtx): Promise<Release> {
  const found = await findRelease(ctx.db, id);
  if (!found) throw notFound('release');
  const asked = found.approvalTicketId ? await findTicket(ctx.db, found.approvalTicketId) : undefined;
  await assertMayCancel(found, asked?.requestedBy ?? null, ctx);

  return ctx.db.transaction(async (tx) => {
    // The order a claim and a decision take: job, ticket, target, release.
    const jobs = await lockQueuedJobs(tx, 'release', id);
    const ticket = found.approvalTicketId ? await lockTicket(tx, found.approvalTicketId) : undefined;
    await lockTarget(tx, found.targetId);
    const r = await lockRelease(tx, id);
    if (!r) throw notFound('release');
    if (r.lifecycleState !== 'pending_approval' && r.lifecycleState !== 'approved')
      throw new ApiError(
        'ILLEGAL_TRANSITION',
        `the release is ${r.lifecycleState}; only a pending_approval or approved release not yet claimed is cancelled`,
      );
    const cancelled = await transition(
      tx,
      ctx.clock,
      r,
      'cancelled',
      ctx.actor,
      {},
      {
        from: r.lifecycleState,
        approval_ticket: ticket?.id ?? null,
      },
    );
    if (ticket) await expireWithdrawnTicket(tx, ticket, ctx.clock, ctx.actor);
    await cancelJobs(tx, ctx.clock, jobs, ctx.actor);
    return toRelease(cancelled);
  });
}
