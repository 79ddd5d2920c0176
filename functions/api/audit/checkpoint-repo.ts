import { asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { auditCheckpoints, auditEvents } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type CheckpointRow = typeof auditCheckpoints.$inferSelect;

export async function latestCheckpoint(db: Db): Promise<CheckpointRow | undefined> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.lastSeq)).limit(1);
  return row;
}

export async function listCheckpoints(db: Db): Promise<CheckpointRow[]> {
  return db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.lastSeq));
}

export async function insertCheckpoint(db: Db, row: CheckpointRow): Promise<void> {
  await db.insert(auditCheckpoints).values(row);
}

/** Any constant other than the chain's: one sweep at a time makes checkpoints. */
const CHECKPOINT_LOCK = 7_281_003;

export async function lockCheckpoints(db: Db): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
}

export async function unanchoredCheckpoints(db: Db): Promise<CheckpointRow[]> {
  return db
    .select()
    .from(auditCheckpoints)
    .where(isNull(auditCheckpoints.anchoredAt))
    .orderBy(asc(auditCheckpoints.lastSeq));
}

export async function markAnchored(db: Db, id: string, at: Date): Promise<void> {
  await db.update(auditCheckpoints).set({ anchoredAt: at }).where(eq(auditCheckpoints.id, id));
}

export async function lastEvent(db: Db) {
  const [row] = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return row;
}

/** One page of the chain in order, for verification without loading it whole. */
export async function eventsAfter(db: Db, seq: number, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(gt(auditEvents.seq, seq))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

export async function eventAt(db: Db, seq: number) {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.seq, seq));
  return row;
}

export async function countEvents(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(auditEvents);
  return Number(row?.n ?? 0);
}
