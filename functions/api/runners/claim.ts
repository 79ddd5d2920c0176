import { claimAad, seal } from '../../../shared/crypto/sealed-box';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import type { CompleteReport, StepReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue/types';
import { ApiError, invalid } from '../errors';
import { pinHostKey } from '../hosts/service';
import { hostsOfJob, type JobKinds, kindOf } from '../jobs/kind';
import type { JobRow } from '../jobs/repo';
import { claimJob, completeJob, type Holder, heartbeat, type Lease, reportStep } from '../jobs/service';
import type { RunnerRow } from './repo';
import { forgetSecrets, leaseSecrets, rememberSecrets, secretsOfOrder } from './secrets';
import { buildWorkOrder } from './work-order';

export type RunnerCtx = {
  db: Db;
  clock: Clock;
  keys: KeyProvider;
  queue: JobQueue;
  logger: Logger;
  kinds: JobKinds;
  jobs: { leaseSeconds: number; maxReceives: number; claimWaitSeconds: number };
};

/**
 * The long poll: waits for the queue to name work (never holding a database connection while it
 * waits), claims it by row, and returns it with its work order sealed to the runner's key.
 */
export async function claimForRunner(
  ctx: RunnerCtx,
  runner: RunnerRow,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<ClaimedJob | null> {
  const deadline = Date.now() + Math.min(waitSeconds, ctx.jobs.claimWaitSeconds) * 1000;
  const claim = (jobId?: string, receipt?: string | null) =>
    claimJob(ctx.db, ctx.clock, {
      runnerPoolId: runner.runnerPoolId,
      runnerId: runner.id,
      leaseSeconds: ctx.jobs.leaseSeconds,
      maxReceives: ctx.jobs.maxReceives,
      kinds: ctx.kinds,
      jobId,
      receipt,
    });
  // The table first: a job queued while nobody waited is found without a message.
  if (ctx.queue.kind === 'postgres') {
    const lease = await claim();
    if (lease) return sealClaim(ctx, runner, lease);
  }
  for (let i = 0; i < 1000 && !signal?.aborted; i++) {
    const waitMs = Math.max(0, deadline - Date.now());
    // A claim that may not wait (wait_seconds or K8SM_CLAIM_WAIT_SECONDS 0) still takes what SQS
    // holds now, in one short poll; otherwise no job would ever reach it.
    if (waitMs === 0 && i > 0) return null;
    const delivery = await ctx.queue.receive(runner.runnerPoolId, {
      waitMs,
      visibilitySeconds: ctx.jobs.leaseSeconds,
      signal,
    });
    if (!delivery) return null;
    const lease = delivery.jobId ? await claim(delivery.jobId, delivery.receipt) : await claim();
    if (lease) return sealClaim(ctx, runner, lease);
    // A message for a job nobody may claim (finished, or taken over already) is done with.
    if (delivery.receipt) await ctx.queue.ack(runner.runnerPoolId, delivery.receipt);
  }
  return null;
}

async function sealClaim(ctx: RunnerCtx, runner: RunnerRow, lease: Lease): Promise<ClaimedJob> {
  const { job } = lease;
  const order = await buildWorkOrder(ctx.db, ctx.keys, job, ctx.kinds);
  // What the runner sends back is masked with these (SPEC §7.5) without opening them again.
  rememberSecrets(job.id, lease.leaseToken, secretsOfOrder(ctx.kinds, job.kind, order));
  const plain = Buffer.from(JSON.stringify(order), 'utf8');
  try {
    return {
      job: {
        id: job.id,
        kind: job.kind as ClaimedJob['job']['kind'],
        kind_version: kindOf(ctx.kinds, job.kind)?.definition.version ?? 1,
        attempt: job.attempts,
        lease_token: lease.leaseToken,
        lease_expires_at: lease.leaseExpiresAt.toISOString(),
        payload: job.payload,
      },
      sealed: seal(runner.publicKey, plain, claimAad(job.id, lease.leaseToken)),
    };
  } finally {
    plain.fill(0);
  }
}

const holderOf = (runner: RunnerRow, jobId: string, leaseToken: number): Holder => ({
  jobId,
  leaseToken,
  runnerId: runner.id,
});

export async function heartbeatJob(ctx: RunnerCtx, runner: RunnerRow, jobId: string, leaseToken: number) {
  const r = await heartbeat(ctx.db, ctx.clock, holderOf(runner, jobId, leaseToken), ctx.jobs.leaseSeconds);
  if (r.job.queueReceipt)
    await ctx.queue.extend(runner.runnerPoolId, r.job.queueReceipt, ctx.jobs.leaseSeconds);
  return { lease_expires_at: r.leaseExpiresAt.toISOString() };
}

export async function recordRunnerStep(
  ctx: RunnerCtx,
  runner: RunnerRow,
  jobId: string,
  leaseToken: number,
  step: StepReport,
) {
  return reportStep(
    ctx.db,
    ctx.clock,
    holderOf(runner, jobId, leaseToken),
    step,
    (tx, job) => pinObservedKey(tx, ctx, job, step),
    ctx.kinds,
    leaseSecrets(ctx.keys, ctx.kinds, leaseToken),
  );
}

export async function completeRunnerJob(
  ctx: RunnerCtx,
  runner: RunnerRow,
  jobId: string,
  leaseToken: number,
  report: CompleteReport,
  steps: readonly StepReport[] = [],
) {
  for (const step of steps) {
    try {
      await recordRunnerStep(ctx, runner, jobId, leaseToken, step);
    } catch (e) {
      // As when sent alone: a report refused for good is dropped, the ones after it still count.
      if (!(e instanceof ApiError) || e.code === 'LEASE_LOST' || e.status >= 500) throw e;
      ctx.logger.warn('carried step refused', { job_id: jobId, step: step.name, code: e.code });
    }
  }
  const job = await completeJob(
    ctx.db,
    ctx.clock,
    holderOf(runner, jobId, leaseToken),
    report,
    ctx.kinds,
    { keys: ctx.keys },
    leaseSecrets(ctx.keys, ctx.kinds, leaseToken),
  );
  forgetSecrets(jobId, leaseToken);
  if (job.queueReceipt) {
    // The row is final already; a failed delete only means the message comes back and is acked then.
    await ctx.queue.ack(runner.runnerPoolId, job.queueReceipt).catch((e: unknown) => {
      ctx.logger.warn('queue ack failed', { job_id: jobId, error: (e as Error).name });
    });
  }
  return { job_id: jobId, status: report.status };
}

/** A step may pin the key of its job's own hosts, and of nothing else. */
async function pinObservedKey(tx: Db, ctx: RunnerCtx, job: JobRow, step: StepReport) {
  if (!step.observed_host_key) return;
  if (!step.host_id) throw invalid('host_id', 'an observed host key needs the host it was observed on');
  if (!(await hostsOfJob(ctx.kinds, tx, job)).includes(step.host_id))
    throw invalid('host_id', 'the job does not run on that host');
  const r = await pinHostKey(tx, ctx.clock, step.host_id, step.observed_host_key, {
    userId: job.runnerId,
    source: 'runner',
  });
  if (!r.ok)
    throw new ApiError(
      'HOST_KEY_MISMATCH',
      `the host's key ${step.observed_host_key} differs from the pinned ${r.pinned_fingerprint}`,
    );
}

/** The runner routes' dependencies, from the process's. */
export const runnerCtx = (deps: {
  database: { db: Db };
  clock: Clock;
  keys: KeyProvider;
  queue: JobQueue;
  logger: Logger;
  config: { jobs: RunnerCtx['jobs'] };
  jobKinds: JobKinds;
}): RunnerCtx => ({
  db: deps.database.db,
  clock: deps.clock,
  keys: deps.keys,
  queue: deps.queue,
  logger: deps.logger,
  kinds: deps.jobKinds,
  jobs: deps.config.jobs,
});
