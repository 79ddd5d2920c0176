import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { JobStatus } from '../../../shared/jobs/status';
import { jobSteps, jobs, runnerPools, runners } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects, type VisibleProjects } from '../../platform/db/visible';

export type JobRow = typeof jobs.$inferSelect;
export type StepRow = typeof jobSteps.$inferSelect;

export async function insertJob(db: Db, row: JobRow): Promise<void> {
  await db.insert(jobs).values(row);
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

/**
 * Takes the oldest claimable job of the pool: queued, or running with a lease that has run out
 * (its runner died). `skip locked` lets concurrent claimers pass over each other's rows instead
 * of waiting, and the lease token grows by one so the previous holder's writes are refused.
 */
export async function claimNext(
  db: Db,
  opts: {
    runnerPoolId: string;
    runnerId: string;
    now: Date;
    leaseUntil: Date;
    /** SQS: the job its message named (still only if claimable, and only from this pool). */
    jobId?: string;
    receipt?: string | null;
  },
): Promise<JobRow | undefined> {
  const [candidate] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.runnerPoolId, opts.runnerPoolId),
        opts.jobId ? eq(jobs.id, opts.jobId) : undefined,
        or(eq(jobs.status, 'queued'), and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, opts.now))),
      ),
    )
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!candidate) return undefined;
  const [row] = await db
    .update(jobs)
    .set({
      status: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      leaseToken: sql`${jobs.leaseToken} + 1`,
      leaseExpiresAt: opts.leaseUntil,
      runnerId: opts.runnerId,
      queueReceipt: opts.receipt ?? null,
      updatedAt: opts.now,
    })
    .where(eq(jobs.id, candidate.id))
    .returning();
  return row;
}

/**
 * The job, locked, if and only if the caller still holds its lease: the newest token, given to
 * this very runner (a token alone is a small counter another runner could guess).
 */
export async function lockLeased(db: Db, h: { jobId: string; leaseToken: number; runnerId: string }) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.id, h.jobId),
        eq(jobs.leaseToken, h.leaseToken),
        eq(jobs.runnerId, h.runnerId),
        eq(jobs.status, 'running'),
      ),
    )
    .for('update');
  return row;
}

export async function lockJob(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).for('update');
  return row;
}

export async function updateJob(db: Db, id: string, set: Partial<JobRow>): Promise<void> {
  await db.update(jobs).set(set).where(eq(jobs.id, id));
}

export async function findStep(
  db: Db,
  jobId: string,
  name: string,
  attempt: number,
): Promise<StepRow | undefined> {
  const [row] = await db
    .select()
    .from(jobSteps)
    .where(and(eq(jobSteps.jobId, jobId), eq(jobSteps.name, name), eq(jobSteps.attempt, attempt)));
  return row;
}

export async function insertStep(db: Db, row: StepRow): Promise<void> {
  await db.insert(jobSteps).values(row);
}

export async function updateStep(db: Db, id: string, set: Partial<StepRow>): Promise<void> {
  await db.update(jobSteps).set(set).where(eq(jobSteps.id, id));
}

export async function listSteps(db: Db, jobId: string): Promise<StepRow[]> {
  return db.select().from(jobSteps).where(eq(jobSteps.jobId, jobId)).orderBy(asc(jobSteps.id));
}

export async function jobsOfResource(db: Db, resourceType: string, resourceId: string): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.resourceType, resourceType), eq(jobs.resourceId, resourceId)))
    .orderBy(asc(jobs.id));
}

/**
 * The outbox: jobs with a pool whose message was not sent, and queued jobs whose message went out
 * before `resendBefore` and were never claimed (a send lost after its mark; duplicates are harmless).
 */
export async function undispatchedJobs(db: Db, limit: number, resendBefore?: Date) {
  return db
    .select({ id: jobs.id, runnerPoolId: jobs.runnerPoolId })
    .from(jobs)
    .where(
      and(
        sql`${jobs.runnerPoolId} is not null`,
        resendBefore
          ? or(isNull(jobs.dispatchedAt), and(eq(jobs.status, 'queued'), lt(jobs.dispatchedAt, resendBefore)))
          : isNull(jobs.dispatchedAt),
      ),
    )
    .orderBy(asc(jobs.createdAt))
    .limit(limit);
}

export async function markDispatched(db: Db, ids: string[], now: Date | null) {
  if (ids.length) await db.update(jobs).set({ dispatchedAt: now }).where(inArray(jobs.id, ids));
}

/** Running jobs whose lease lapsed before `cutoff` after at least `minAttempts` claims. */
export async function stuckJobs(db: Db, cutoff: Date, minAttempts: number, limit: number) {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, cutoff), gte(jobs.attempts, minAttempts)))
    .orderBy(asc(jobs.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Hands jobs that waited for the environment's pool to the pool just bound. */
export async function assignWaitingJobs(db: Db, environmentId: string, runnerPoolId: string, now: Date) {
  return db
    .update(jobs)
    .set({ runnerPoolId, updatedAt: now })
    .where(and(eq(jobs.environmentId, environmentId), isNull(jobs.runnerPoolId), eq(jobs.status, 'queued')))
    .returning({ id: jobs.id });
}

/**
 * Where the caller may see jobs: release jobs per runtime (the runtime's read permission too),
 * every other kind where `runner:read` is held.
 */
export type JobVisibility = { other: VisibleProjects; k8s: VisibleProjects; compose: VisibleProjects };

export type JobFilter = {
  projectId?: string;
  runnerPoolId?: string;
  status?: JobStatus;
  kind?: string;
  before?: string;
  limit: number;
  visible: JobVisibility;
};

const someOf = (projects: VisibleProjects) => projects === 'all' || projects.length > 0;

function visibleJobs(v: JobVisibility): SQL {
  const runtime = sql`${jobs.payload}->>'runtime_type'`;
  const parts = [
    someOf(v.other)
      ? and(sql`${jobs.kind} <> 'release_apply'`, inVisibleProjects(jobs.projectId, v.other))
      : undefined,
    ...(['k8s', 'compose'] as const).map((rt) =>
      someOf(v[rt])
        ? and(
            eq(jobs.kind, 'release_apply'),
            sql`${runtime} = ${rt}`,
            inVisibleProjects(jobs.projectId, v[rt]),
          )
        : undefined,
    ),
  ].filter((p): p is SQL => p !== undefined);
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

/** What a list shows: every column but the payload and result (only the error code is read). */
const { payload: _p, result: _r, queueReceipt: _q, ...listColumns } = getTableColumns(jobs);
export const jobListColumns = {
  ...listColumns,
  errorCode: sql<string | null>`${jobs.result}->>'error_code'`,
  runnerPoolName: runnerPools.name,
};
export type JobListRow = Omit<JobRow, 'payload' | 'result' | 'queueReceipt'> & {
  errorCode: string | null;
  runnerPoolName: string | null;
};

/** Jobs newest first, in what the caller may see. */
export async function listJobs(db: Db, f: JobFilter): Promise<JobListRow[]> {
  return db
    .select(jobListColumns)
    .from(jobs)
    .leftJoin(runnerPools, eq(runnerPools.id, jobs.runnerPoolId))
    .where(jobsWhere(f))
    .orderBy(desc(jobs.id))
    .limit(f.limit);
}

export function jobsWhere(f: Omit<JobFilter, 'limit'>): SQL | undefined {
  return and(
    visibleJobs(f.visible),
    f.projectId ? eq(jobs.projectId, f.projectId) : undefined,
    f.runnerPoolId ? eq(jobs.runnerPoolId, f.runnerPoolId) : undefined,
    f.status ? eq(jobs.status, f.status) : undefined,
    f.kind ? eq(jobs.kind, f.kind) : undefined,
    f.before ? lt(jobs.id, f.before) : undefined,
  );
}

export async function findJobView(
  db: Db,
  id: string,
): Promise<(JobListRow & { payload: JobRow['payload'] }) | undefined> {
  const [row] = await db
    .select({ ...jobListColumns, payload: jobs.payload })
    .from(jobs)
    .leftJoin(runnerPools, eq(runnerPools.id, jobs.runnerPoolId))
    .where(eq(jobs.id, id));
  return row;
}

/**
 * Each queued job's place in its pool, 1-based, oldest first: the order a claim takes them in
 * (created_at, then id).
 */
export async function queuePositions(db: Db, jobIds: string[]): Promise<Map<string, number>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: jobs.id,
      // Spelled out: drizzle leaves the outer columns unqualified, which inside would mean q's.
      position: sql<number>`(select count(*) from jobs q where q.runner_pool_id = jobs.runner_pool_id
        and q.status = 'queued' and (q.created_at, q.id) < (jobs.created_at, jobs.id))::int + 1`,
    })
    .from(jobs)
    .where(inArray(jobs.id, jobIds));
  return new Map(rows.map((r) => [r.id, Number(r.position)]));
}

/** Of the pools given, those with a runner seen after `since` and not revoked. */
export async function poolsWithOnlineRunner(db: Db, poolIds: string[], since: Date): Promise<Set<string>> {
  if (poolIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ poolId: runners.runnerPoolId })
    .from(runners)
    .where(
      and(inArray(runners.runnerPoolId, poolIds), isNull(runners.revokedAt), gt(runners.lastSeenAt, since)),
    );
  return new Set(rows.map((r) => r.poolId));
}

/** A pool's queued and running jobs, from the job rows. */
export async function poolQueue(db: Db, poolId: string) {
  const [row] = await db
    .select({
      queued: sql<number>`(count(*) filter (where ${jobs.status} = 'queued'))::int`,
      running: sql<number>`(count(*) filter (where ${jobs.status} = 'running'))::int`,
      oldestQueuedAt:
        sql<Date | null>`min(${jobs.createdAt}) filter (where ${jobs.status} = 'queued')`.mapWith(
          jobs.createdAt,
        ),
    })
    .from(jobs)
    .where(and(eq(jobs.runnerPoolId, poolId), inArray(jobs.status, ['queued', 'running'])));
  return {
    queued: Number(row?.queued ?? 0),
    running: Number(row?.running ?? 0),
    oldestQueuedAt: row?.oldestQueuedAt ?? null,
  };
}

/** The steps of several jobs, job by job, each in the order it was first reported. */
export async function stepsOfJobs(db: Db, jobIds: string[]): Promise<StepRow[]> {
  if (jobIds.length === 0) return [];
  return db
    .select()
    .from(jobSteps)
    .where(inArray(jobSteps.jobId, jobIds))
    .orderBy(asc(jobSteps.jobId), asc(jobSteps.id));
}

/** When a step's output was last written: its end, or its start if it never ended. */
const stepAge = sql`coalesce(${jobSteps.finishedAt}, ${jobSteps.startedAt})`;

/**
 * Removes the output of at most `limit` steps last written before `cutoff`, oldest first, and
 * says how many. The step rows stay (name, host, status, times, error code): only what the
 * commands printed goes. Served by the partial index `job_steps_output_age`.
 */
export async function clearStepOutputBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  const due = db
    .select({ id: jobSteps.id })
    .from(jobSteps)
    .where(and(isNotNull(jobSteps.output), sql`${stepAge} < ${cutoff.toISOString()}::timestamptz`))
    .orderBy(stepAge)
    .limit(limit);
  const rows = await db
    .update(jobSteps)
    .set({ output: null })
    .where(inArray(jobSteps.id, due))
    .returning({ id: jobSteps.id });
  return rows.length;
}

/** The last failed step of each of these releases' jobs: where a trimmed summary says it failed. */
export async function lastFailedSteps(db: Db, releaseIds: string[]) {
  if (!releaseIds.length) return new Map<string, StepRow>();
  const rows = await db
    .select({ releaseId: jobs.resourceId, step: jobSteps })
    .from(jobSteps)
    .innerJoin(jobs, eq(jobs.id, jobSteps.jobId))
    .where(
      and(
        eq(jobs.resourceType, 'release'),
        inArray(jobs.resourceId, releaseIds),
        eq(jobSteps.status, 'failed'),
      ),
    )
    .orderBy(asc(stepAge), asc(jobSteps.id));
  // Later rows win: the newest failure of each release.
  return new Map(rows.map((r) => [r.releaseId, r.step]));
}
