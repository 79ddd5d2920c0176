import { and, eq, gt, sql } from 'drizzle-orm';
import { loginThrottle } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

/**
 * Counts one attempt in the bucket unless its window already holds `limit`, in one statement: the
 * row lock of the upsert orders concurrent attempts, across processes, so a burst cannot slip
 * past the limit. A stale window restarts at 1. Returns the window the attempt was counted in,
 * or null when the bucket is full.
 */
export async function reserveAttempt(
  db: Db,
  bucket: string,
  now: Date,
  windowStart: Date,
  limit: number,
): Promise<Date | null> {
  // Raw parameters bypass drizzle's column mapping: pass timestamps as ISO text, cast in SQL.
  const start = sql`${windowStart.toISOString()}::timestamptz`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const stale = sql`${loginThrottle.windowStart} < ${start}`;
  const rows = await db
    .insert(loginThrottle)
    .values({ bucket, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: loginThrottle.bucket,
      set: {
        failures: sql`case when ${stale} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${stale} then ${at} else ${loginThrottle.windowStart} end`,
      },
      setWhere: sql`${stale} or ${loginThrottle.failures} < ${sql`${limit}::integer`}`,
    })
    .returning({ windowStart: loginThrottle.windowStart });
  return rows[0]?.windowStart ?? null;
}

/** Gives back an attempt that turned out not to be a failure, if its window is still the current one. */
export async function releaseAttempt(db: Db, bucket: string, window: Date): Promise<void> {
  await db
    .update(loginThrottle)
    .set({ failures: sql`${loginThrottle.failures} - 1` })
    .where(
      and(
        eq(loginThrottle.bucket, bucket),
        eq(loginThrottle.windowStart, window),
        gt(loginThrottle.failures, 0),
      ),
    );
}

export async function clearFailures(db: Db, bucket: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.bucket, bucket));
}
