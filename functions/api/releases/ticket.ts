import type { TicketHandler } from '../approvals/service';
import { ApiError } from '../errors';
import { approveAndQueue, assertFresh, assertTargetFree, SYSTEM, transition } from './lifecycle';
import { findRelease, lockRelease, lockReleaseTarget, releaseDigests } from './repo';
import { toRelease } from './view';

/** What a decided or expired apply or rollback ticket does to its release. */
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
    await assertFresh(tx, r);
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
    await transition(tx, clock, r, 'expired', SYSTEM, {}, { reason: 'ticket_expired' });
  },
  async describe(db, ticket) {
    const r = await findRelease(db, ticket.resourceId);
    return r ? { release: toRelease(r) } : null;
  },
  async digests(db, ids) {
    const rows = await releaseDigests(db, ids);
    return new Map(
      rows.map((r) => [r.id, { revision_digest: r.revisionDigest, masked_digest: r.maskedDigest }]),
    );
  },
};
