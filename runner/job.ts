import type { KeyObject } from 'node:crypto';
import { claimAad, openBox } from '../shared/crypto/sealed-box';
import type { ClaimedJob, WorkOrder } from '../shared/jobs/claim';
import { CompleteReport, JOB_KIND_DEFINITIONS, type StepReport } from '../shared/jobs/kinds';
import { MAX_CARRIED_STEPS } from '../shared/runner/protocol';
import {
  ApiProblem,
  type Backoff,
  backoffDelay,
  isLeaseLost,
  isRetryable,
  isUnauthenticated,
  type RunnerApi,
  sleep,
} from './client';
import type { Executor } from './dispatch';
import { StepError } from './jobs/steps';
import { errorFields, type Logger } from './log';
import { type FlushResult, JobSink } from './sink';

/**
 * One claimed job, start to end: open its work order, keep its lease alive, run it, get its steps
 * and completion to the platform. A job whose lease is lost stops writing at once: another runner
 * may hold it now, and the platform would refuse the writes anyway.
 */
export type JobEnv = {
  api: RunnerApi;
  privateKey: KeyObject;
  executor: Executor;
  log: Logger;
  minHeartbeatMs: number;
  deliveryTimeoutMs: number;
  deliveryBackoff?: Backoff | undefined;
  /** The platform refused the runner token: the whole runner stops. */
  refused(): void;
  isRefused(): boolean;
  /** When deliveries must end because the runner is shutting down; infinite until then. */
  cutoff(): number;
};

/** `conflict`: a retried completion got 409, so an earlier attempt landed or the job moved on. */
export type Outcome = 'completed' | 'conflict' | 'lost' | 'undelivered';

export const abortError = (message: string) => Object.assign(new Error(message), { name: 'AbortError' });

const failed = (message: string): CompleteReport => ({
  status: 'failed',
  error_code: 'APPLY_FAILED',
  diagnostics: { message },
});

export async function runJob(c: ClaimedJob, abort: AbortController, env: JobEnv): Promise<Outcome> {
  const { job } = c;
  const log = env.log;
  log.info('job claimed', { attempt: job.attempt, lease_expires_at: job.lease_expires_at });
  const onLost = () => {
    sink.markLost();
    if (!abort.signal.aborted) abort.abort(abortError('lease lost'));
  };
  const sink = new JobSink({
    send: (s) => env.api.step(job.id, job.lease_token, s),
    onLeaseLost: onLost,
    onUnauthenticated: () => env.refused(),
    log,
    scrub: (s) => log.redactor.value(s),
    ...(env.deliveryBackoff ? { backoff: env.deliveryBackoff } : {}),
  });
  const beat = heartbeat(c, env, onLost);
  try {
    const started = Date.now();
    const report = await execute(c, abort.signal, sink, env);
    log.info('job finished', {
      status: report.status,
      error_code: report.error_code,
      ms: Date.now() - started,
    });
    if (sink.lost || env.isRefused()) return 'lost';
    const own = Date.now() + env.deliveryTimeoutMs;
    const deadline = () => Math.min(own, env.cutoff());
    let flushed: FlushResult = 'flushed';
    let carried: StepReport[] = [];
    if (carriable(sink.queued)) ({ result: flushed, steps: carried } = await sink.handOver(deadline()));
    else {
      flushed = await sink.flush(deadline());
      // The cutoff can move closer while waiting; look again each second.
      while (flushed === 'timeout' && Date.now() < deadline())
        flushed = await sink.flush(Math.min(deadline(), Date.now() + 1000));
    }
    if (flushed === 'lost' || flushed === 'unauthenticated') return 'lost';
    if (flushed === 'timeout')
      log.warn('steps not delivered in time; completing anyway', { queued: sink.pending });
    return await deliver(c, report, carried, env, deadline);
  } finally {
    beat.stop();
    sink.close();
  }
}

async function execute(
  c: ClaimedJob,
  signal: AbortSignal,
  steps: JobSink,
  env: JobEnv,
): Promise<CompleteReport> {
  const { log } = env;
  const kinds = env.executor.kinds ?? JOB_KIND_DEFINITIONS;
  const kind = kinds.find((k) => k.kind === c.job.kind);
  let work: WorkOrder;
  try {
    if (!kind) throw new Error('unknown kind');
    const plain = openBox(env.privateKey, c.sealed, claimAad(c.job.id, c.job.lease_token));
    work = kind.work.parse(JSON.parse(plain.toString('utf8'))) as WorkOrder;
    plain.fill(0);
    if (work.kind !== c.job.kind) throw new Error('kind mismatch');
  } catch {
    // Why (wrong key, other lease, bad JSON) stays here: the details could help forge a box.
    log.error('the sealed work order could not be opened or read; failing the job');
    return failed('the runner could not open or read the work order sealed to it');
  }
  log.redactor.add(...(kind?.secretsOf(work) ?? []));
  try {
    const report = CompleteReport.safeParse(
      await env.executor(work, { steps, attempt: c.job.attempt, signal }),
    );
    if (report.success) return log.redactor.value(report.data);
    log.error('the executor returned an invalid completion report');
    return failed('the runner produced an invalid completion report');
  } catch (e) {
    const error_code = e instanceof StepError ? e.code : signal.aborted ? 'TIMEOUT' : 'APPLY_FAILED';
    const message = log.redactor.text(e instanceof Error ? e.message : String(e)).slice(0, 2000);
    log.warn('job failed', { error_code, err: message });
    return { status: 'failed', error_code, diagnostics: { message } };
  }
}

/** Every third of the lease; after a failure sooner, down to `minHeartbeatMs`. */
function heartbeat(c: ClaimedJob, env: JobEnv, onLost: () => void): { stop(): void } {
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let last = 10_000;
  let failures = 0;
  const schedule = (ms: number) => {
    if (ctl.signal.aborted) return;
    last = Math.max(env.minHeartbeatMs, Math.min(ms, 300_000));
    timer = setTimeout(tick, last);
  };
  const fromExpiry = (at: string) => {
    const left = Date.parse(at) - Date.now();
    return Number.isFinite(left) ? left / 3 : 10_000;
  };
  const tick = async () => {
    try {
      const r = await env.api.heartbeat(c.job.id, c.job.lease_token, ctl.signal);
      failures = 0;
      schedule(fromExpiry(r.lease_expires_at));
    } catch (e) {
      if (ctl.signal.aborted) return;
      if (isLeaseLost(e)) {
        env.log.warn('lease lost; stopping the job');
        onLost();
      } else if (isUnauthenticated(e)) env.refused();
      else {
        if (failures++ % 10 === 0) env.log.warn('heartbeat failed', { failures, ...errorFields(e) });
        schedule(last / 2);
      }
    }
  };
  schedule(fromExpiry(c.job.lease_expires_at));
  return {
    stop: () => {
      ctl.abort();
      clearTimeout(timer);
    },
  };
}

/**
 * Whether the steps still queued at the end of a job go with its completion, one request instead
 * of one per step and one more: up to the protocol's count, and small enough that the completion,
 * diagnostics and all, stays well within the platform's body limit.
 */
const CARRIED_BYTES = 256 * 1024;
const carriable = (queued: readonly StepReport[]) =>
  queued.length <= MAX_CARRIED_STEPS && JSON.stringify(queued).length <= CARRIED_BYTES;

async function deliver(
  c: ClaimedJob,
  report: CompleteReport,
  steps: readonly StepReport[],
  env: JobEnv,
  deadline: () => number,
): Promise<Outcome> {
  const { log } = env;
  let carried = steps;
  for (let failures = 0; ; failures++) {
    try {
      await env.api.complete(c.job.id, c.job.lease_token, report, carried);
      log.info('completion delivered', { status: report.status });
      return 'completed';
    } catch (e) {
      if (isLeaseLost(e)) {
        if (failures > 0) {
          log.info('completion retried and refused: already recorded, or the job was taken over');
          return 'conflict';
        }
        log.warn('lease lost before completion; the platform did not take this result');
        return 'lost';
      }
      if (isUnauthenticated(e)) {
        env.refused();
        return 'undelivered';
      }
      if (carried.length && e instanceof ApiProblem && e.status === 422) {
        // A platform older than carried steps refuses the field: the steps go one by one, first.
        log.warn('completion with steps refused; sending the steps alone', { steps: carried.length });
        const sent = await sendAlone(c, carried, env);
        if (sent !== 'sent') return sent;
        carried = [];
        failures = -1; // the completion alone is a first attempt
        continue;
      }
      if (!isRetryable(e)) {
        log.error('completion rejected', errorFields(e));
        return 'undelivered';
      }
      const delay = backoffDelay(failures, env.deliveryBackoff ?? { baseMs: 500, maxMs: 15_000 });
      if (Date.now() + delay > deadline()) {
        log.error('completion not delivered in time; the platform re-takes the job when its lease runs out');
        return 'undelivered';
      }
      if (failures % 10 === 0)
        log.warn('completion not delivered; retrying', { retry_in_ms: delay, ...errorFields(e) });
      await sleep(delay);
    }
  }
}

/**
 * Each step on its own, as before completions carried them. Only a lost lease or a refused token
 * stops it: a step report that cannot be delivered is skipped, as the sink drops one, so the
 * completion still goes.
 */
async function sendAlone(
  c: ClaimedJob,
  steps: readonly StepReport[],
  env: JobEnv,
): Promise<'sent' | 'lost' | 'undelivered'> {
  for (const step of steps) {
    try {
      await env.api.step(c.job.id, c.job.lease_token, step);
    } catch (e) {
      if (isLeaseLost(e)) return 'lost';
      if (isUnauthenticated(e)) {
        env.refused();
        return 'undelivered';
      }
      env.log.warn('step not delivered', { step: step.name, ...errorFields(e) });
    }
  }
  return 'sent';
}
