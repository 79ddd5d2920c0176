import { and, desc, eq, gt, gte, sql } from 'drizzle-orm';
import { encoded, placeholders, reusable } from '../../platform/db/prepared';
import { auditEvents } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects } from '../../platform/db/visible';

export type AuditRow = typeof auditEvents.$inferSelect;

/** Any constant works; every appender must use the same one. */
const AUDIT_APPEND_LOCK = 7_281_002;

/**
 * Serialises appends for the rest of the transaction, so seq and prev_hash form one total order
 * even with many API instances writing at once.
 */
export async function lockChain(
  db: Db,
): Promise<{ seq: number; hash: string; macKeyId: string | null } | undefined> {
  await db.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
  const [last] = await chainHead(db);
  return last;
}

// Every change appends through these two: built once (platform/db/prepared.ts).
const chainHead = reusable((db) =>
  db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash, macKeyId: auditEvents.macKeyId })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .prepare('audit_chain_head'),
);
const eventInsert = reusable((db) =>
  db.insert(auditEvents).values(placeholders(auditEvents)).prepare('insert_audit_event'),
);

export async function insertEvent(db: Db, row: AuditRow): Promise<void> {
  await eventInsert(db, encoded(auditEvents, row));
}

export type AuditFilter = {
  resourceType?: string;
  resourceId?: string;
  action?: string;
  since?: Date;
  projectId?: string;
  /** Projects the caller may read; 'all' also shows events that belong to no project. */
  visibleProjects: 'all' | string[];
  afterSeq?: number;
  limit: number;
};

export async function listEvents(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  const conds = [
    f.resourceType ? eq(auditEvents.resourceType, f.resourceType) : undefined,
    f.resourceId ? eq(auditEvents.resourceId, f.resourceId) : undefined,
    f.action ? eq(auditEvents.action, f.action) : undefined,
    f.since ? gte(auditEvents.occurredAt, f.since) : undefined,
    f.projectId ? eq(auditEvents.projectId, f.projectId) : undefined,
    f.afterSeq !== undefined ? gt(auditEvents.seq, f.afterSeq) : undefined,
    inVisibleProjects(auditEvents.projectId, f.visibleProjects),
  ];
  return db
    .select()
    .from(auditEvents)
    .where(and(...conds))
    .orderBy(auditEvents.seq)
    .limit(f.limit);
}

export async function findEvent(db: Db, id: string): Promise<AuditRow | undefined> {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return row;
}
