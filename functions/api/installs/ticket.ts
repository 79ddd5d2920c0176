import type { TicketHandler } from '../approvals/service';
import { queueTask, transition } from './lifecycle';
import { findTask, lockEnvironment, lockTask } from './repo';
import { toTask } from './view';

const SYSTEM = { userId: null, source: 'system' } as const;

/** What a decided or expired install ticket does to its task. */
export const installTicketHandler: TicketHandler = {
  async lockFor(tx, ticket) {
    const t = await findTask(tx, ticket.resourceId);
    if (t) await lockEnvironment(tx, t.environmentId);
    await lockTask(tx, ticket.resourceId);
  },
  async onApproved(tx, ticket, ctx) {
    const t = await findTask(tx, ticket.resourceId);
    if (t?.status !== 'pending_approval') return;
    await queueTask(tx, ctx.clock, t, ctx.actor, { approval_ticket: ticket.id });
  },
  async onRejected(tx, ticket, ctx) {
    const t = await findTask(tx, ticket.resourceId);
    if (t?.status !== 'pending_approval') return;
    await transition(tx, ctx.clock, t, 'rejected', ctx.actor, {}, { approval_ticket: ticket.id });
  },
  async onExpired(tx, ticket, clock) {
    const t = await findTask(tx, ticket.resourceId);
    if (t?.status !== 'pending_approval') return;
    await transition(tx, clock, t, 'expired', SYSTEM, {}, { reason: 'ticket_expired' });
  },
  async describe(db, ticket) {
    const t = await findTask(db, ticket.resourceId);
    return t ? { install_task: toTask(t) } : null;
  },
};
