import { inArray } from 'drizzle-orm';
import { auditMacKeys, auditMacStart } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type MacKeyRow = typeof auditMacKeys.$inferSelect;

/** Idempotent: a process writes its key with each append until one of them has committed. */
export async function insertMacKey(db: Db, row: MacKeyRow): Promise<void> {
  await db.insert(auditMacKeys).values(row).onConflictDoNothing();
}

export async function macKeysById(db: Db, ids: string[]): Promise<MacKeyRow[]> {
  if (!ids.length) return [];
  return db.select().from(auditMacKeys).where(inArray(auditMacKeys.id, ids));
}

/** The first seq that must carry a MAC (events before the MACs came have none). */
export async function macStart(db: Db): Promise<number> {
  const [row] = await db.select().from(auditMacStart).limit(1);
  return row?.seq ?? 1;
}
