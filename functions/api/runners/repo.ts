import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import {
  clusters,
  environments,
  hosts,
  jobs,
  runnerPools,
  runnerRegistrationTokens,
  runners,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import type { VisibleWindow } from '../../platform/db/visible';
import { NAMED_USERS } from '../in-use';

export type PoolRow = typeof runnerPools.$inferSelect;
export type RegistrationTokenRow = typeof runnerRegistrationTokens.$inferSelect;
export type RunnerRow = typeof runners.$inferSelect;

export async function insertPool(db: Db, row: PoolRow): Promise<boolean> {
  const r = await db.insert(runnerPools).values(row).onConflictDoNothing().returning({ id: runnerPools.id });
  return r.length === 1;
}

const live = (id: string) => and(eq(runnerPools.id, id), isNull(runnerPools.deletedAt));

/** A pool that is not deleted: a deleted one is a 404 and takes no new binding or runner. */
export async function findPool(db: Db, id: string): Promise<PoolRow | undefined> {
  const [row] = await db.select().from(runnerPools).where(live(id));
  return row;
}

/**
 * A live pool, locked until the transaction ends: `update` for a change to the pool, `share` for a
 * runner registering into it (so a concurrent delete waits and then sees the runner).
 */
export async function lockPool(db: Db, id: string, mode: 'update' | 'share'): Promise<PoolRow | undefined> {
  const [row] = await db.select().from(runnerPools).where(live(id)).for(mode);
  return row;
}

export async function updatePool(
  db: Db,
  id: string,
  set: Partial<Pick<PoolRow, 'name' | 'deletedAt' | 'updatedAt'>>,
): Promise<void> {
  await db.update(runnerPools).set(set).where(eq(runnerPools.id, id));
}

/** Deleted pools included: a name stays taken (the table's unique index on project and name). */
export async function findPoolByName(db: Db, projectId: string | null, name: string) {
  const [row] = await db
    .select({ id: runnerPools.id })
    .from(runnerPools)
    .where(
      and(
        projectId === null ? isNull(runnerPools.projectId) : eq(runnerPools.projectId, projectId),
        eq(runnerPools.name, name),
      ),
    );
  return row;
}

/**
 * What keeps a pool from being deleted, by name: live environments, hosts and clusters bound to it,
 * its runners that are not revoked, and (by id) jobs queued or running on it.
 */
export async function poolUsers(db: Db, id: string) {
  const envs = await db
    .select({ name: environments.name })
    .from(environments)
    .where(and(eq(environments.runnerPoolId, id), isNull(environments.deletedAt)))
    .orderBy(asc(environments.name))
    .limit(NAMED_USERS);
  const boundHosts = await db
    .select({ name: hosts.name })
    .from(hosts)
    .where(and(eq(hosts.runnerPoolId, id), isNull(hosts.deletedAt)))
    .orderBy(asc(hosts.name))
    .limit(NAMED_USERS);
  const boundClusters = await db
    .select({ name: clusters.name })
    .from(clusters)
    .where(and(eq(clusters.runnerPoolId, id), isNull(clusters.deletedAt)))
    .orderBy(asc(clusters.name))
    .limit(NAMED_USERS);
  const live = await db
    .select({ name: runners.name })
    .from(runners)
    .where(and(eq(runners.runnerPoolId, id), isNull(runners.revokedAt)))
    .orderBy(asc(runners.name))
    .limit(NAMED_USERS);
  const open = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.runnerPoolId, id), inArray(jobs.status, ['queued', 'running'])))
    .orderBy(asc(jobs.id))
    .limit(NAMED_USERS);
  const names = (rows: { name: string }[]) => rows.map((r) => r.name);
  return {
    environments: names(envs),
    hosts: names(boundHosts),
    clusters: names(boundClusters),
    runners: names(live),
    jobs: open.map((j) => j.id),
  };
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
        isNull(runnerPools.deletedAt),
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
