import { eq, sql } from 'drizzle-orm';
import { loginThrottle } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

/** Failures counted in the current window of the bucket (0 when the window has passed). */
export async function failuresIn(db: Db, bucket: string, windowStart: Date): Promise<number> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.bucket, bucket));
  if (!row || row.windowStart < windowStart) return 0;
  return row.failures;
}

/** One statement, so concurrent failures all count. A stale window restarts at 1. */
export async function countFailure(db: Db, bucket: string, now: Date, windowStart: Date): Promise<void> {
  // Raw parameters bypass drizzle's column mapping: pass timestamps as ISO text, cast in SQL.
  const start = sql`${windowStart.toISOString()}::timestamptz`;
  const at = sql`${now.toISOString()}::timestamptz`;
  await db
    .insert(loginThrottle)
    .values({ bucket, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: loginThrottle.bucket,
      set: {
        failures: sql`case when ${loginThrottle.windowStart} < ${start} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${loginThrottle.windowStart} < ${start} then ${at} else ${loginThrottle.windowStart} end`,
      },
    });
}

export async function clearFailures(db: Db, bucket: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.bucket, bucket));
}
