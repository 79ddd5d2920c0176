import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
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

export function timelineSql(db: Db, releaseId: string, ticketIds: string[]) {
  const mine = and(eq(auditEvents.resourceType, 'release'), eq(auditEvents.resourceId, releaseId));
  const tickets = ticketIds.length
    ? and(eq(auditEvents.resourceType, 'approval_ticket'), inArray(auditEvents.resourceId, ticketIds))
    : undefined;
  return {
    tickets: db
      .select({ id: approvalTickets.id })
      .from(approvalTickets)
      .where(and(eq(approvalTickets.resourceType, 'release'), eq(approvalTickets.resourceId, releaseId)))
      .toSQL() as Statement,
    events: db
      .select()
      .from(auditEvents)
      .where(tickets ? or(mine, tickets) : mine)
      .orderBy(asc(auditEvents.seq))
      .toSQL() as Statement,
  };
}

/** `GET /deploy/releases?runtime_type=<runtime>` for a caller who reads both runtimes everywhere. */
export function releaseListSql(db: Db, runtime: 'k8s' | 'compose', limit: number): Statement {
  return db
    .select()
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

/**
 * Not what the app runs: the same list selecting only the columns `toRelease` puts in the answer
 * (functions/api/releases/view.ts), without the masked rendering, masked variables, sealed envelope
 * and digests, to measure what `select *` costs the list.
 */
export function releaseListSlimSql(db: Db, runtime: 'k8s' | 'compose', limit: number): Statement {
  const r = releases;
  return db
    .select({
      id: r.id,
      lifecycleState: r.lifecycleState,
      runtimeType: r.runtimeType,
      approvalRequired: r.approvalRequired,
      approvalTicketId: r.approvalTicketId,
      previewRef: r.previewRef,
      diagnosticsJson: r.diagnosticsJson,
      serviceId: r.serviceId,
      targetId: r.targetId,
      environmentId: r.environmentId,
      projectId: r.projectId,
      strategy: r.strategy,
      riskLevel: r.riskLevel,
      checks: r.checks,
      diff: r.diff,
      expiresAt: r.expiresAt,
      rollbackOf: r.rollbackOf,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })
    .from(r)
    .where(and(or(eq(r.runtimeType, 'k8s'), eq(r.runtimeType, 'compose')), eq(r.runtimeType, runtime)))
    .orderBy(desc(r.id))
    .limit(limit + 1)
    .toSQL();
}

/** `GET /approvals/inbox[?status=…]` for a caller who reads approvals everywhere. */
export function inboxSql(db: Db, limit: number, status?: 'pending'): Statement {
  return db
    .select()
    .from(approvalTickets)
    .where(and(status ? eq(approvalTickets.status, status) : undefined))
    .orderBy(desc(approvalTickets.id))
    .limit(limit + 1)
    .toSQL();
}
