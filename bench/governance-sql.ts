import { and, asc, desc, eq, getTableColumns, or, sql } from 'drizzle-orm';
import { approvalTickets, auditEvents, releases } from '../functions/platform/db/schema';
import type { Db } from '../functions/platform/db/types';

/**
 * The statements behind the three measured endpoints, built with the same drizzle calls as the
 * repo functions and printed with `.toSQL()`, for an admin caller (every project readable):
 * functions/api/releases/repo.ts findRelease, timelineEvents, listReleases and
 * functions/api/approvals/repo.ts listInbox. The bench checks that the app and these statements
 * answer with the same rows, so a drift between this copy and the repo shows up as a failure.
 */
export type Statement = { sql: string; params: unknown[] };

export function findReleaseSql(db: Db, id: string): Statement {
  return db.select().from(releases).where(eq(releases.id, id)).toSQL();
}

/** The events of a release and of its tickets, the ticket ids read inside the same statement. */
export function timelineSql(db: Db, releaseId: string) {
  const ticketIds = sql`array(select ${approvalTickets.id} from ${approvalTickets}
    where ${approvalTickets.resourceType} = 'release' and ${approvalTickets.resourceId} = ${releaseId})`;
  return {
    events: db
      .select()
      .from(auditEvents)
      .where(
        or(
          and(eq(auditEvents.resourceType, 'release'), eq(auditEvents.resourceId, releaseId)),
          and(
            eq(auditEvents.resourceType, 'approval_ticket'),
            sql`${auditEvents.resourceId} = any(${ticketIds})`,
          ),
        ),
      )
      .orderBy(asc(auditEvents.seq))
      .toSQL() as Statement,
  };
}

/** What the list selects: every column but the large ones its answer leaves out (as the repo does). */
const {
  renderedMasked: _r,
  maskedRevision: _m,
  variablesMasked: _v,
  secretEnvelope: _s,
  previewHash: _h,
  ...listColumns
} = getTableColumns(releases);

/** `GET /deploy/releases?runtime_type=<runtime>` for a caller who reads both runtimes everywhere. */
export function releaseListSql(db: Db, runtime: 'k8s' | 'compose', limit: number): Statement {
  return db
    .select(listColumns)
    .from(releases)
    .where(
      and(
        or(eq(releases.runtimeType, 'k8s'), eq(releases.runtimeType, 'compose')),
        eq(releases.runtimeType, runtime),
      ),
    )
    .orderBy(desc(releases.id))
    .limit(limit + 1)
    .toSQL();
}

/** `GET /approvals/inbox[?status=…]` for a caller who reads approvals everywhere: each ticket with the digests of the release it approves. */
export function inboxSql(db: Db, limit: number, status?: 'pending'): Statement {
  return db
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
    .where(and(status ? eq(approvalTickets.status, status) : undefined))
    .orderBy(desc(approvalTickets.id))
    .limit(limit + 1)
    .toSQL();
}
