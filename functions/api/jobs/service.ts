import type { CompleteReport, StepReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { type AuditInput, recordEvent } from '../audit/writer';
import { ApiError } from '../errors';
import { hostsOfJob, type JobEnv, type JobKinds, kindOf } from './kind';
import { maskReport, maskStep, type SecretsOf, withSealed } from './mask';
import { markQueued } from './outbox';
import {
  assignWaitingJobs,
  claimNext,
  findStep,
  insertJob,
  insertStep,
  type JobRow,
  jobsOfResource,
  lockJob,
  lockLeased,
  type StepRow,
  updateJob,
  updateStep,
} from './repo';

export type NewJob = {
  /** A kind in the app's list (`Deps.jobKinds`). */
  kind: string;
  projectId: string;
  environmentId: string | null;
  runnerPoolId: string | null;
  resourceType: string;
  resourceId: string;
  payload: Record<string, unknown>;
};

/**
 * Writes a queued job in the caller's transaction. A job without a pool waits until its
 * environment is bound to one. (The queue message, where a queue other than the table is used,
 * is sent once the job has a pool, after the request this marks.)
 */
export async function createJob(tx: Db, clock: Clock, j: NewJob): Promise<JobRow> {
  const now = clock.now();
  const row: JobRow = {
    id: newId('job'),
    kind: j.kind,
    projectId: j.projectId,
    environmentId: j.environmentId,
    runnerPoolId: j.runnerPoolId,
    resourceType: j.resourceType,
    resourceId: j.resourceId,
    payload: j.payload,
    status: 'queued',
    attempts: 0,
    leaseToken: 0,
    leaseExpiresAt: null,
    runnerId: null,
    result: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    queueReceipt: null,
    dispatchedAt: null,
  };
  await insertJob(tx, row);
  markQueued();
  await recordEvent(tx, clock, {
    action: 'job.created',
    resourceType: j.resourceType,
    resourceId: j.resourceId,
    projectId: j.projectId,
    environmentId: j.environmentId,
    actor: { userId: null, source: 'system' },
    detail: { job_id: row.id, kind: row.kind, runner_pool_id: row.runnerPoolId },
  });
  return row;
}

/** Hands jobs that waited for the environment's pool to the pool just bound; they are queued now. */
export async function handWaitingJobs(tx: Db, environmentId: string, runnerPoolId: string, now: Date) {
  const handed = await assignWaitingJobs(tx, environmentId, runnerPoolId, now);
  if (handed.length) markQueued();
  return handed;
}

/** Who holds a job: what heartbeats, steps and completion must present. */
export type Holder = { jobId: string; leaseToken: number; runnerId: string };
export type Lease = Holder & { job: JobRow; leaseExpiresAt: Date };

/** Claims skipped because their resource refused to run are bounded per call. */
const MAX_CANCELLED_PER_CLAIM = 20;

export type ClaimOptions = {
  runnerPoolId: string;
  runnerId: string;
  leaseSeconds: number;
  kinds: JobKinds;
  /** A job claimed this often already is dead-lettered (failed) instead of handed out again. */
  maxReceives?: number;
  /** SQS: claim only the job the message named, remembering the message for heartbeat and ack. */
  jobId?: string;
  receipt?: string | null;
};

export async function claimJob(db: Db, clock: Clock, opts: ClaimOptions): Promise<Lease | null> {
  for (let i = 0; i < MAX_CANCELLED_PER_CLAIM; i++) {
    const outcome = await db.transaction(async (tx) => {
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + opts.leaseSeconds * 1000);
      const job = await claimNext(tx, {
        runnerPoolId: opts.runnerPoolId,
        runnerId: opts.runnerId,
        now,
        leaseUntil,
        jobId: opts.jobId,
        receipt: opts.receipt,
      });
      if (!job) return null;
      if (opts.maxReceives && job.attempts > opts.maxReceives) {
        // Every runner that took it died or lost it: stop handing it out, and say so on its resource.
        const handler = kindOf(opts.kinds, job.kind);
        await handler?.lockFor?.(tx, job);
        const report = { status: 'failed', error_code: 'DEAD_LETTERED' } as const;
        await finish(tx, clock, job, report, SYSTEM);
        await handler?.onCompleted?.(tx, job, report, clock);
        return 'cancelled' as const;
      }
      // Only the first claim moves the resource; a re-claim after a lost lease finds it moved.
      if (job.attempts > 1)
        return {
          job,
          jobId: job.id,
          runnerId: opts.runnerId,
          leaseToken: job.leaseToken,
          leaseExpiresAt: leaseUntil,
        };
      const handler = kindOf(opts.kinds, job.kind);
      await handler?.lockFor?.(tx, job);
      if ((await handler?.onClaimed?.(tx, job, clock)) === false) {
        await finish(tx, clock, job, { status: 'failed', error_code: 'PREVIEW_STALE' }, SYSTEM);
        return 'cancelled' as const;
      }
      return {
        job,
        jobId: job.id,
        runnerId: opts.runnerId,
        leaseToken: job.leaseToken,
        leaseExpiresAt: leaseUntil,
      };
    });
    if (outcome !== 'cancelled') return outcome;
    // The message named a job that could not run; the next one is for the queue to give.
    if (opts.jobId) return null;
  }
  return null;
}

const leaseLost = () => new ApiError('LEASE_LOST', 'the lease on this job was lost; another runner holds it');

export async function heartbeat(db: Db, clock: Clock, holder: Holder, leaseSeconds: number) {
  return db.transaction(async (tx) => {
    const job = await lockLeased(tx, holder);
    if (!job) throw leaseLost();
    const leaseExpiresAt = new Date(clock.now().getTime() + leaseSeconds * 1000);
    await updateJob(tx, holder.jobId, { leaseExpiresAt, updatedAt: clock.now() });
    return { leaseExpiresAt, job };
  });
}

const FINAL: StepRow['status'][] = ['succeeded', 'failed', 'skipped'];

/**
 * Records a step. Idempotent on (job, step, attempt): a repeated report changes nothing and
 * writes no second event; a step only moves from running to a final state, never back. With
 * `secretsOf`, what the step says is masked with the job's secrets before anything sees it.
 */
export async function reportStep(
  db: Db,
  clock: Clock,
  holder: Holder,
  sent: StepReport,
  /** Runs first in the step's transaction (the runner part pins an observed host key here). */
  before?: (tx: Db, job: JobRow) => Promise<void>,
  kinds: JobKinds = [],
  secretsOf?: SecretsOf,
) {
  const { jobId } = holder;
  return db.transaction(async (tx) => {
    const job = await lockLeased(tx, holder);
    if (!job) throw leaseLost();
    await before?.(tx, job);
    const step = secretsOf ? maskStep(sent, await secretsOf(tx, job)) : sent;
    const existing = await findStep(tx, jobId, step.name, step.attempt);
    // Shown to people as where the step ran: kept only when it is one of the job's hosts.
    const hostId =
      step.host_id && (await hostsOfJob(kinds, tx, job)).includes(step.host_id) ? step.host_id : null;
    const fields = {
      status: step.status,
      startedAt: step.started_at ? new Date(step.started_at) : (existing?.startedAt ?? clock.now()),
      finishedAt: step.finished_at
        ? new Date(step.finished_at)
        : FINAL.includes(step.status)
          ? clock.now()
          : null,
      output: step.output ?? null,
      errorCode: step.error_code ?? null,
      detail: step.detail ?? null,
      hostId: hostId ?? existing?.hostId ?? null,
    };
    if (existing && (existing.status === step.status || FINAL.includes(existing.status)))
      return { recorded: false };
    if (existing) await updateStep(tx, existing.id, fields);
    else await insertStep(tx, { id: newId('stp'), jobId, name: step.name, attempt: step.attempt, ...fields });
    await recordEvent(tx, clock, {
      action: 'job.step_recorded',
      resourceType: job.resourceType,
      resourceId: job.resourceId,
      projectId: job.projectId,
      environmentId: job.environmentId,
      actor: { userId: job.runnerId, source: 'runner' },
      status: step.status,
      detail: { job_id: jobId, step: step.name, attempt: step.attempt, error_code: step.error_code ?? null },
    });
    await kindOf(kinds, job.kind)?.onStep?.(tx, job, step, clock);
    return { recorded: true };
  });
}

/**
 * Completes a held job. With `secretsOf`, the report is masked with the job's secrets before it
 * is stored or handed to the kind; the kind's `scrub` runs first, so what it seals itself reaches
 * its `onCompleted` as sent and is never stored.
 */
export async function completeJob(
  db: Db,
  clock: Clock,
  holder: Holder,
  report: CompleteReport,
  kinds: JobKinds,
  env: JobEnv = {},
  secretsOf?: SecretsOf,
) {
  return db.transaction(async (tx) => {
    const job = await lockLeased(tx, holder);
    if (!job) throw leaseLost();
    const handler = kindOf(kinds, job.kind);
    await handler?.lockFor?.(tx, job);
    const scrubbed = handler?.scrub ? handler.scrub(report) : report;
    const stored = secretsOf ? maskReport(scrubbed, await secretsOf(tx, job)) : scrubbed;
    await finish(tx, clock, job, stored, { userId: job.runnerId, source: 'runner' });
    const seen = secretsOf ? withSealed(stored, report, scrubbed) : report;
    await handler?.onCompleted?.(tx, job, seen, clock, env);
    return job;
  });
}

const SYSTEM = { userId: null, source: 'system' } as const;

/**
 * Locks the queued jobs of a resource that is about to stop waiting for a runner (cancelled, or
 * expired unclaimed). Call it before locking the resource, in the order a claim takes (job first):
 * a claim that holds a job's row is let through and finds the resource moved or not; one that
 * comes later skips the locked row and then finds the job ended.
 */
export async function lockQueuedJobs(tx: Db, resourceType: string, resourceId: string) {
  const locked: JobRow[] = [];
  for (const j of await jobsOfResource(tx, resourceType, resourceId)) {
    if (j.status !== 'queued') continue;
    const job = await lockJob(tx, j.id);
    if (job?.status === 'queued') locked.push(job);
  }
  return locked;
}

/** Ends jobs that will never run: failed with `CANCELLED`, so no claim hands them to a runner. */
export async function cancelJobs(tx: Db, clock: Clock, queued: JobRow[], actor: AuditInput['actor']) {
  for (const job of queued)
    await finish(tx, clock, job, { status: 'failed', error_code: 'CANCELLED' }, actor);
}

/** Fails a running job whose lease lapsed before `cutoff` (re-checked under its row lock). */
export async function deadLetter(db: Db, clock: Clock, jobId: string, cutoff: Date, kinds: JobKinds) {
  return db.transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    if (job?.status !== 'running' || !job.leaseExpiresAt || job.leaseExpiresAt >= cutoff) return false;
    const handler = kindOf(kinds, job.kind);
    await handler?.lockFor?.(tx, job);
    const report = { status: 'failed', error_code: 'DEAD_LETTERED' } as const;
    await finish(tx, clock, job, report, SYSTEM);
    await handler?.onCompleted?.(tx, job, report, clock);
    return true;
  });
}

async function finish(tx: Db, clock: Clock, job: JobRow, report: CompleteReport, actor: AuditInput['actor']) {
  const now = clock.now();
  await updateJob(tx, job.id, {
    status: report.status,
    result: { ...(report.result ?? {}), error_code: report.error_code ?? null },
    finishedAt: now,
    updatedAt: now,
    leaseExpiresAt: null,
  });
  await recordEvent(tx, clock, {
    action: 'job.completed',
    resourceType: job.resourceType,
    resourceId: job.resourceId,
    projectId: job.projectId,
    environmentId: job.environmentId,
    actor,
    status: report.status,
    detail: { job_id: job.id, kind: job.kind, error_code: report.error_code ?? null },
  });
}
