import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { jobs, runnerPools, runnerRegistrationTokens, runners } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import type { VisibleWindow } from '../../platform/db/visible';

export type PoolRow = typeof runnerPools.$inferSelect;
export type RegistrationTokenRow = typeof runnerRegistrationTokens.$inferSelect;
export type RunnerRow = typeof runners.$inferSelect;

export async function insertPool(db: Db, row: PoolRow): Promise<boolean> {
  const r = await db.insert(runnerPools).values(row).onConflictDoNothing().returning({ id: runnerPools.id });
  return r.length === 1;
}

export async function findPool(db: Db, id: string): Promise<PoolRow | undefined> {
  const [row] = await db.select().from(runnerPools).where(eq(runnerPools.id, id));
  return row;
}

/** Pools the caller may see: global ones, and those of the visible projects. */
export async function listPools(db: Db, opts: VisibleWindow): Promise<PoolRow[]> {
  const visible =
    opts.projects === 'all'
      ? undefined
      : or(isNull(runnerPools.projectId), inArray(runnerPools.projectId, [...opts.projects, '']));
  return db
    .select()
    .from(runnerPools)
    .where(
      and(
        visible,
        opts.projectId ? eq(runnerPools.projectId, opts.projectId) : undefined,
        opts.after ? gt(runnerPools.id, opts.after) : undefined,
      ),
    )
    .orderBy(asc(runnerPools.id))
    .limit(opts.limit);
}

export async function insertRegistrationToken(db: Db, row: RegistrationTokenRow): Promise<void> {
  await db.insert(runnerRegistrationTokens).values(row);
}

/** Locks the token row so two registrations with one token cannot both succeed. */
export async function lockRegistrationToken(db: Db, tokenHash: string) {
  const [row] = await db
    .select()
    .from(runnerRegistrationTokens)
    .where(eq(runnerRegistrationTokens.tokenHash, tokenHash))
    .for('update');
  return row;
}

export async function markRegistrationTokenUsed(db: Db, id: string, runnerId: string, now: Date) {
  await db
    .update(runnerRegistrationTokens)
    .set({ usedAt: now, runnerId })
    .where(eq(runnerRegistrationTokens.id, id));
}

export async function insertRunner(db: Db, row: RunnerRow): Promise<void> {
  await db.insert(runners).values(row);
}

export async function findRunner(db: Db, id: string): Promise<RunnerRow | undefined> {
  const [row] = await db.select().from(runners).where(eq(runners.id, id));
  return row;
}

export async function lockRunner(db: Db, id: string): Promise<RunnerRow | undefined> {
  const [row] = await db.select().from(runners).where(eq(runners.id, id)).for('update');
  return row;
}

export async function updateRunner(db: Db, id: string, set: Partial<RunnerRow>): Promise<void> {
  await db.update(runners).set(set).where(eq(runners.id, id));
}

/**
 * Stamps `last_seen_at`, at most once per `everyMs`: a claim loop of many runners would
 * otherwise write a row per long poll.
 */
export async function touchRunner(db: Db, id: string, now: Date, everyMs: number): Promise<void> {
  await db
    .update(runners)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(runners.id, id),
        or(isNull(runners.lastSeenAt), lt(runners.lastSeenAt, new Date(now.getTime() - everyMs))),
      ),
    );
}

export async function listRunners(
  db: Db,
  opts: { poolIds: string[] | '*'; runnerPoolId?: string; after?: string; limit: number },
): Promise<RunnerRow[]> {
  return db
    .select()
    .from(runners)
    .where(
      and(
        opts.poolIds === '*' ? undefined : inArray(runners.runnerPoolId, [...opts.poolIds, '']),
        opts.runnerPoolId ? eq(runners.runnerPoolId, opts.runnerPoolId) : undefined,
        opts.after ? gt(runners.id, opts.after) : undefined,
      ),
    )
    .orderBy(asc(runners.id))
    .limit(opts.limit);
}

/** The jobs each runner holds now (running, lease not run out). */
export async function currentJobs(db: Db, runnerIds: string[], now: Date) {
  if (runnerIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .select({ runnerId: jobs.runnerId, id: jobs.id })
    .from(jobs)
    .where(and(inArray(jobs.runnerId, runnerIds), eq(jobs.status, 'running'), gt(jobs.leaseExpiresAt, now)))
    .orderBy(desc(jobs.id));
  const out = new Map<string, string[]>();
  for (const r of rows) if (r.runnerId) out.set(r.runnerId, [...(out.get(r.runnerId) ?? []), r.id]);
  return out;
}

/** Whether any runner of the pool was seen within `withinMs` (the preview's runner check). */
export async function poolHasOnlineRunner(db: Db, poolId: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`1` })
    .from(runners)
    .where(and(eq(runners.runnerPoolId, poolId), isNull(runners.revokedAt), gt(runners.lastSeenAt, since)))
    .limit(1);
  return !!row;
}

/** The pool's runners seen after `since` and not revoked. */
export async function onlineRunners(db: Db, poolId: string, since: Date): Promise<RunnerRow[]> {
  return db
    .select()
    .from(runners)
    .where(and(eq(runners.runnerPoolId, poolId), isNull(runners.revokedAt), gt(runners.lastSeenAt, since)))
    .orderBy(asc(runners.id));
}
