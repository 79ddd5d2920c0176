import type { DecisionRequest, Ticket } from '../../../shared/contracts/approvals';
import type { AuditSource } from '../../../shared/events';
import type { Permission } from '../../../shared/permissions';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, notFound } from '../errors';
import type { Grants } from '../rbac/enforcer';
import { dueTickets, insertTicket, lockTicket, moveTicket, type TicketRow } from './repo';

/** Who may decide any ticket (SPEC §4), in its project. */
export const DECIDER_PERMISSIONS: Permission[] = ['deploy:release:approve', 'deploy:approval:review'];

/** The digests of what a ticket approves, where its kind has them. */
export type TicketDigests = { revision_digest: string | null; masked_digest: string | null };
const NO_DIGESTS: TicketDigests = { revision_digest: null, masked_digest: null };

export const toTicket = (t: TicketRow, digests: TicketDigests = NO_DIGESTS): Ticket => ({
  id: t.id,
  ticket_id: t.id,
  project_id: t.projectId,
  environment_id: t.environmentId,
  kind: t.kind,
  resource_type: t.resourceType,
  resource_id: t.resourceId,
  status: t.status,
  risk_level: t.riskLevel as Ticket['risk_level'],
  requested_by: t.requestedBy,
  decided_by: t.decidedBy,
  decision_comment: t.decisionComment,
  decided_at: t.decidedAt?.toISOString() ?? null,
  expires_at: t.expiresAt.toISOString(),
  created_at: t.createdAt.toISOString(),
  ...digests,
});

/** The digests of each ticket's subject, one lookup per kind. */
export async function digestsOf(
  db: Db,
  handlers: TicketHandlers,
  tickets: readonly Pick<TicketRow, 'kind' | 'resourceId'>[],
): Promise<TicketDigests[]> {
  const byKind = new Map<TicketRow['kind'], Map<string, TicketDigests>>();
  for (const kind of new Set(tickets.map((t) => t.kind))) {
    const ids = [...new Set(tickets.filter((t) => t.kind === kind).map((t) => t.resourceId))];
    const found = await handlers[kind]?.digests?.(db, ids);
    if (found) byKind.set(kind, found);
  }
  return tickets.map((t) => byKind.get(t.kind)?.get(t.resourceId) ?? NO_DIGESTS);
}

/** Tickets as answered, each with the digests of what it approves. */
export async function ticketViews(db: Db, handlers: TicketHandlers, rows: TicketRow[]): Promise<Ticket[]> {
  const digests = await digestsOf(db, handlers, rows);
  return rows.map((t, i) => toTicket(t, digests[i]));
}

/**
 * What happens to the thing a ticket is for when the ticket moves. Each kind's owner (releases,
 * credentials, installs) supplies its handler; the approvals module knows none of them.
 */
export type TicketHandler = {
  /**
   * Locks the rows the other hooks will change, before the ticket's own audit event takes the
   * chain's lock: every path takes row locks first and the audit lock last, so none can deadlock.
   */
  lockFor?(tx: Db, ticket: TicketRow): Promise<void>;
  onApproved?(tx: Db, ticket: TicketRow, ctx: ServiceCtx): Promise<void>;
  onRejected?(tx: Db, ticket: TicketRow, ctx: ServiceCtx): Promise<void>;
  onExpired?(tx: Db, ticket: TicketRow, clock: Clock): Promise<void>;
  describe?(db: Db, ticket: TicketRow): Promise<Record<string, unknown> | null>;
  /** resource id -> the digests of what its ticket approves (releases: SPEC §7.5). */
  digests?(db: Db, resourceIds: string[]): Promise<Map<string, TicketDigests>>;
};
export type TicketHandlers = Partial<Record<TicketRow['kind'], TicketHandler>>;

export type NewTicket = {
  projectId: string;
  environmentId: string | null;
  kind: TicketRow['kind'];
  resourceType: string;
  resourceId: string;
  riskLevel: string | null;
  requestedBy: string;
  ttlSeconds: number;
  source: AuditSource;
};

/** Opens a ticket inside the caller's transaction, with its audit event. */
export async function createTicket(tx: Db, clock: Clock, t: NewTicket): Promise<TicketRow> {
  const now = clock.now();
  const row: TicketRow = {
    id: newId('tkt'),
    projectId: t.projectId,
    environmentId: t.environmentId,
    kind: t.kind,
    resourceType: t.resourceType,
    resourceId: t.resourceId,
    status: 'pending',
    riskLevel: t.riskLevel,
    requestedBy: t.requestedBy,
    decidedBy: null,
    decisionComment: null,
    decidedAt: null,
    usedAt: null,
    expiresAt: new Date(now.getTime() + t.ttlSeconds * 1000),
    createdAt: now,
  };
  await insertTicket(tx, row);
  await recordEvent(tx, clock, {
    action: 'approval.requested',
    resourceType: 'approval_ticket',
    resourceId: row.id,
    projectId: row.projectId,
    environmentId: row.environmentId,
    actor: { userId: t.requestedBy, source: t.source },
    detail: {
      kind: row.kind,
      resource_type: row.resourceType,
      resource_id: row.resourceId,
      risk_level: row.riskLevel,
    },
  });
  return row;
}

async function expireTicket(tx: Db, ticket: TicketRow, clock: Clock, handlers: TicketHandlers) {
  await handlers[ticket.kind]?.lockFor?.(tx, ticket);
  if (!(await moveTicket(tx, ticket.id, 'pending', { status: 'expired' }))) return false;
  await recordEvent(tx, clock, {
    action: 'approval.expired',
    resourceType: 'approval_ticket',
    resourceId: ticket.id,
    projectId: ticket.projectId,
    environmentId: ticket.environmentId,
    actor: { userId: null, source: 'system' },
    detail: { kind: ticket.kind, resource_id: ticket.resourceId },
  });
  await handlers[ticket.kind]?.onExpired?.(tx, ticket, clock);
  return true;
}

/**
 * The ticket of something withdrawn before it was decided becomes `expired` (SPEC §7.0 "Cancel");
 * a decided one stays as decided. The caller locked the ticket (before the resource it is for,
 * the order a decision takes) and moves the resource itself, so no handler is called.
 */
export async function expireWithdrawnTicket(
  tx: Db,
  ticket: TicketRow,
  clock: Clock,
  actor: ServiceCtx['actor'],
) {
  if (ticket.status !== 'pending') return false;
  if (!(await moveTicket(tx, ticket.id, 'pending', { status: 'expired' }))) return false;
  await recordEvent(tx, clock, {
    action: 'approval.expired',
    resourceType: 'approval_ticket',
    resourceId: ticket.id,
    projectId: ticket.projectId,
    environmentId: ticket.environmentId,
    actor,
    detail: { kind: ticket.kind, resource_id: ticket.resourceId, reason: 'cancelled' },
  });
  return true;
}

export type DecideCtx = ServiceCtx & { grants: Grants; handlers: TicketHandlers };

/**
 * Decides one ticket. The row is locked and moved only from `pending`, so of two concurrent
 * deciders exactly one wins; the other gets 409. An expired ticket is expired here too, not only
 * by the sweep, so a late decision can never land.
 */
export async function decideTicket(id: string, input: DecisionRequest, ctx: DecideCtx): Promise<Ticket> {
  const expired = await ctx.db.transaction(async (tx) => {
    const t = await lockTicket(tx, id);
    if (!t) throw notFound('ticket');
    await assertDecider(t, ctx);
    if (t.status === 'pending' && t.expiresAt <= ctx.clock.now())
      return expireTicket(tx, t, ctx.clock, ctx.handlers);
    return false;
  });
  if (expired) throw new ApiError('TICKET_EXPIRED', 'the ticket expired before it was decided');

  return ctx.db.transaction(async (tx) => {
    const t = await lockTicket(tx, id);
    if (!t) throw notFound('ticket');
    const handler = ctx.handlers[t.kind];
    await handler?.lockFor?.(tx, t);
    if (t.status === 'expired' || (t.status === 'pending' && t.expiresAt <= ctx.clock.now()))
      throw new ApiError('TICKET_EXPIRED', 'the ticket expired before it was decided');
    if (t.status !== 'pending') throw new ApiError('TICKET_DECIDED', `the ticket is already ${t.status}`);
    // Who asked for a change does not approve it, admins included.
    if (t.requestedBy === ctx.actor.userId)
      throw new ApiError('SELF_APPROVAL', 'a ticket cannot be decided by the person who requested it');
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    const now = ctx.clock.now();
    const set = {
      status,
      decidedBy: ctx.actor.userId,
      decisionComment: input.comment,
      decidedAt: now,
    } as const;
    if (!(await moveTicket(tx, t.id, 'pending', set)))
      throw new ApiError('TICKET_DECIDED', 'decided meanwhile');
    // The decision names exactly what was decided on, so the audit stream binds it.
    const [digests] = await digestsOf(tx, ctx.handlers, [t]);
    await recordEvent(tx, ctx.clock, {
      action: status === 'approved' ? 'approval.approved' : 'approval.rejected',
      resourceType: 'approval_ticket',
      resourceId: t.id,
      projectId: t.projectId,
      environmentId: t.environmentId,
      actor: ctx.actor,
      detail: {
        kind: t.kind,
        resource_type: t.resourceType,
        resource_id: t.resourceId,
        ...(t.resourceType === 'release' ? digests : {}),
        comment: input.comment,
      },
    });
    const decided = { ...t, ...set };
    if (status === 'approved') await handler?.onApproved?.(tx, decided, ctx);
    else await handler?.onRejected?.(tx, decided, ctx);
    return toTicket(decided, digests);
  });
}

/** Deciders hold both permissions in the ticket's own project (checked before anything moves). */
async function assertDecider(t: TicketRow, ctx: DecideCtx) {
  const missing: Permission[] = [];
  for (const p of DECIDER_PERMISSIONS) if (!(await ctx.grants.can(p, t.projectId))) missing.push(p);
  if (missing.length) throw new ApiError('FORBIDDEN', `missing permission: ${missing.join(', ')}`);
}

/** Marks an approved ticket used (a reveal, say), once. */
export async function useTicket(tx: Db, ticket: TicketRow, clock: Clock, actor: ServiceCtx['actor']) {
  if (!(await moveTicket(tx, ticket.id, 'approved', { status: 'used', usedAt: clock.now() })))
    throw new ApiError('TICKET_USED', 'the ticket was already used');
  await recordEvent(tx, clock, {
    action: 'approval.used',
    resourceType: 'approval_ticket',
    resourceId: ticket.id,
    projectId: ticket.projectId,
    environmentId: ticket.environmentId,
    actor,
    detail: { kind: ticket.kind, resource_id: ticket.resourceId },
  });
}

/** The sweep: expires every pending ticket whose time has passed. Bounded per run. */
export async function expireDueTickets(
  db: Db,
  clock: Clock,
  handlers: TicketHandlers,
  limit = 200,
): Promise<number> {
  let n = 0;
  for (const t of await dueTickets(db, clock.now(), limit)) {
    const done = await db.transaction(async (tx) => {
      const locked = await lockTicket(tx, t.id);
      return locked?.status === 'pending' ? expireTicket(tx, locked, clock, handlers) : false;
    });
    if (done) n += 1;
  }
  return n;
}
