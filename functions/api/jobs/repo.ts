import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { jobSteps, jobs } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

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
