import {
  and,
  desc,
  eq,
  fillPlaceholders,
  getTableColumns,
  gt,
  lt,
  lte,
  ne,
  notExists,
  type SQL,
  sql,
} from 'drizzle-orm';
import { type InboxQuery, RISK_LEVELS, TICKET_STATUSES } from '../../../shared/contracts/approvals';
import { preparedPerDb } from '../../platform/db/prepared';
import { approvalTickets, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import type { PageWindow, VisibleProjects } from '../../platform/db/visible';

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

const ph = sql.placeholder;

/**
 * An enum value written into the statement rather than bound. A prepared statement may run with a
 * generic plan, which knows a bound value only as an average: `status = $1` then looks like a fifth
 * of the tickets, and the plan walks every ticket newest first looking for the few pending ones.
 * Written in, the plan knows how rare 'pending' is and reads the (status, id) index.
 */
function enumLiteral(allowed: readonly string[], value: string): SQL {
  if (!allowed.includes(value)) throw new Error(`not one of ${allowed.join(', ')}: ${value}`);
  return sql.raw(`'${value}'`);
}

/**
 * What decideTicket would accept from the caller now, short of the permissions (the caller narrows
 * the projects to where they are held): pending, not due, not requested by the user, and for a
 * release not previewed by the user either.
 */
const decidableByCaller = () =>
  and(
    sql`${approvalTickets.status} = ${enumLiteral(TICKET_STATUSES, 'pending')}`,
    gt(approvalTickets.expiresAt, ph('now')),
    ne(approvalTickets.requestedBy, ph('userId')),
    notExists(
      sql`(select 1 from ${releases} where ${releases.id} = ${approvalTickets.resourceId}
        and ${approvalTickets.resourceType} = 'release' and ${releases.createdBy} = ${ph('userId')})`,
    ),
  );

/**
 * Each condition the inbox may apply, in the order the statement lists them; the enum filters
 * are part of the shape with their value (a few statements each), the rest are parameters.
 */
const INBOX_CONDITIONS: Record<string, (value: string) => SQL | undefined> = {
  awaiting: decidableByCaller,
  project: () => eq(approvalTickets.projectId, ph('projectId')),
  environment: () => eq(approvalTickets.environmentId, ph('environmentId')),
  risk: (v) => sql`${approvalTickets.riskLevel} = ${enumLiteral(RISK_LEVELS, v)}`,
  status: (v) => sql`${approvalTickets.status} = ${enumLiteral(TICKET_STATUSES, v)}`,
  mine: () => eq(approvalTickets.requestedBy, ph('userId')),
  // Newest first, so the page continues below the cursor's id.
  after: () => lt(approvalTickets.id, ph('after')),
  // One array parameter rather than an IN list, so any number of projects is one statement.
  projects: () => sql`${approvalTickets.projectId} = any(${ph('projects')})`,
  noProject: () => sql`false`,
};

/**
 * The digests of what a release ticket approves come with the ticket (SPEC §7.5): joined here
 * rather than asked of the release ticket handler afterwards, which was a second round trip on
 * every inbox page.
 */
const inboxPage = preparedPerDb((db, shape: string) => {
  const conds = shape
    ? shape.split('+').map((part) => {
        const [name, value = ''] = part.split(':') as [string, string?];
        return INBOX_CONDITIONS[name]!(value);
      })
    : [];
  return (
    db
      .select({
        ...getTableColumns(approvalTickets),
        revisionDigest: releases.revisionDigest,
        maskedDigest: releases.maskedDigest,
      })
      .from(approvalTickets)
      .leftJoin(
        releases,
        and(eq(approvalTickets.resourceType, 'release'), eq(releases.id, approvalTickets.resourceId)),
      )
      .where(and(...conds))
      // Ids are time-ordered, so id order is creation order and a stable cursor.
      .orderBy(desc(approvalTickets.id))
      .limit(ph('limit'))
      .prepare(`inbox_${shape.replaceAll(/[+:]/g, '_')}`)
  );
});

export type InboxRow = TicketRow & { revisionDigest: string | null; maskedDigest: string | null };

type InboxRead = Omit<InboxQuery, 'limit'> &
  PageWindow & { projects: VisibleProjects; userId: string; now?: Date };

function inboxRead(db: Db, q: InboxRead) {
  const used: [string, unknown][] = [
    ['awaiting', q.awaiting_my_decision === 'true'],
    ['project', q.project_id],
    ['environment', q.environment_id],
    [`risk:${q.risk_level}`, q.risk_level],
    [`status:${q.status}`, q.status],
    ['mine', q.mine === 'true'],
    ['after', q.after],
    ['projects', q.projects !== 'all' && q.projects.length > 0],
    ['noProject', q.projects !== 'all' && q.projects.length === 0],
  ];
  const shape = used.flatMap(([part, on]) => (on ? [part] : [])).join('+');
  const values = {
    userId: q.userId,
    // drizzle encodes a column's values, not a placeholder's: a Date goes as the column would send it.
    now: (q.now ?? new Date()).toISOString(),
    projectId: q.project_id,
    environmentId: q.environment_id,
    after: q.after,
    projects: q.projects,
    limit: q.limit,
  };
  return { query: inboxPage(db, shape), values };
}

export async function listInbox(db: Db, q: InboxRead): Promise<InboxRow[]> {
  const { query, values } = inboxRead(db, q);
  return query.execute(values);
}

/** The statement listInbox sends for `q` and its parameters, so its plan can be examined. */
export function inboxStatement(db: Db, q: InboxRead) {
  const { query, values } = inboxRead(db, q);
  const { sql: text, params } = query.getQuery();
  return { sql: text, params: fillPlaceholders(params, values) };
}
