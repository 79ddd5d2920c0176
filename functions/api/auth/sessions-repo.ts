import { and, eq, isNull, lt } from 'drizzle-orm';
import { refreshTokens } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type RefreshRow = typeof refreshTokens.$inferSelect;

export async function insertRefreshToken(db: Db, row: typeof refreshTokens.$inferInsert): Promise<void> {
  await db.insert(refreshTokens).values(row);
}

/**
 * Revokes the token if it is still live and returns it, in one statement: of two requests showing
 * the same token at once, exactly one gets the row, the other sees a reuse.
 */
export async function takeRefreshToken(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<RefreshRow | undefined> {
  const [row] = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.revokedAt)))
    .returning();
  return row;
}

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshRow | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
  return row;
}

/** Revokes every live token of the family; returns how many were live. */
export async function revokeFamily(db: Db, familyId: string, now: Date): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ tokenHash: refreshTokens.tokenHash });
  return rows.length;
}

/** Drops a user's families past their absolute end: past it no token of theirs can do anything. */
export async function purgeEndedFamilies(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .delete(refreshTokens)
    .where(and(eq(refreshTokens.userId, userId), lt(refreshTokens.familyExpiresAt, now)));
}
