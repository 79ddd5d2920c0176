import { and, desc, eq, gt, lt, lte, ne, notExists, sql } from 'drizzle-orm';
import type { InboxQuery } from '../../../shared/contracts/approvals';
import { approvalTickets, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects, type PageWindow, type VisibleProjects } from '../../platform/db/visible';

export type TicketRow = typeof approvalTickets.$inferSelect;

export async function insertTicket(db: Db, row: TicketRow): Promise<void> {
  await db.insert(approvalTickets).values(row);
}

export async function findTicket(db: Db, id: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(approvalTickets).where(eq(approvalTickets.id, id));
  return row;
}

/** Row lock for the rest of the transaction: two deciders of one ticket run one after the other. */
export async function lockTicket(db: Db, id: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(approvalTickets).where(eq(approvalTickets.id, id)).for('update');
  return row;
}

/** Moves a ticket out of `from`; 0 rows means someone else moved it first. */
export async function moveTicket(
  db: Db,
  id: string,
  from: TicketRow['status'],
  set: Partial<Pick<TicketRow, 'status' | 'decidedBy' | 'decisionComment' | 'decidedAt' | 'usedAt'>>,
): Promise<boolean> {
  const rows = await db
    .update(approvalTickets)
    .set(set)
    .where(and(eq(approvalTickets.id, id), eq(approvalTickets.status, from)))
    .returning({ id: approvalTickets.id });
  return rows.length === 1;
}

export async function dueTickets(db: Db, now: Date, limit: number): Promise<TicketRow[]> {
  return db
    .select()
    .from(approvalTickets)
    .where(and(eq(approvalTickets.status, 'pending'), lte(approvalTickets.expiresAt, now)))
    .limit(limit);
}

/**
 * What decideTicket would accept from `userId` now, short of the permissions (the caller narrows
 * the projects to where they are held): pending, not due, not requested by the user, and for a
 * release not previewed by the user either.
 */
const decidableBy = (userId: string, now: Date) =>
  and(
    eq(approvalTickets.status, 'pending'),
    gt(approvalTickets.expiresAt, now),
    ne(approvalTickets.requestedBy, userId),
    notExists(
      sql`(select 1 from ${releases} where ${releases.id} = ${approvalTickets.resourceId}
        and ${approvalTickets.resourceType} = 'release' and ${releases.createdBy} = ${userId})`,
    ),
  );

export async function listInbox(
  db: Db,
  q: Omit<InboxQuery, 'limit'> & PageWindow & { projects: VisibleProjects; userId: string; now?: Date },
): Promise<TicketRow[]> {
  const conds = [
    q.awaiting_my_decision === 'true' ? decidableBy(q.userId, q.now ?? new Date()) : undefined,
    q.project_id ? eq(approvalTickets.projectId, q.project_id) : undefined,
    q.environment_id ? eq(approvalTickets.environmentId, q.environment_id) : undefined,
    q.risk_level ? eq(approvalTickets.riskLevel, q.risk_level) : undefined,
    q.status ? eq(approvalTickets.status, q.status) : undefined,
    q.mine === 'true' ? eq(approvalTickets.requestedBy, q.userId) : undefined,
    // Newest first, so the page continues below the cursor's id.
    q.after ? lt(approvalTickets.id, q.after) : undefined,
    inVisibleProjects(approvalTickets.projectId, q.projects),
  ];
  // Newest first: ids are time-ordered, so id order is creation order and a stable cursor.
  return db
    .select()
    .from(approvalTickets)
    .where(and(...conds))
    .orderBy(desc(approvalTickets.id))
    .limit(q.limit);
}
