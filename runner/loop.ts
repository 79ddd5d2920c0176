import type { KeyObject } from 'node:crypto';
import type { ClaimedJob } from '../shared/jobs/claim';
import { type Backoff, backoffDelay, isUnauthenticated, type RunnerApi, sleep } from './client';
import type { Executor } from './dispatch';
import { abortError, runJob } from './job';
import { errorFields, type Logger } from './log';

/**
 * The job loop: claim while a slot is free and run each job (job.ts). Stopping ends claiming at
 * once (an open long poll is abandoned; a job the platform handed out meanwhile is re-taken when
 * its lease runs out), lets running jobs finish within the grace period, then aborts them and
 * gives their reports a short while to go out.
 */

export type LoopOptions = {
  api: RunnerApi;
  privateKey: KeyObject;
  executor: Executor;
  log: Logger;
  /** Jobs run at once; the loop claims only while fewer are running. Default 4. */
  concurrency?: number;
  /** Claim at most one job (one long poll), run it, and finish. */
  once?: boolean;
  /** After stop(): how long running jobs may take before they are aborted. Default 60 s. */
  graceMs?: number;
  /** After the abort: how long their steps and completions may take to go out. Default 15 s. */
  abortDeliveryMs?: number;
  /** How long a finished job's steps and completion are retried through an outage. Default 10 min. */
  deliveryTimeoutMs?: number;
  claimWaitSeconds?: number;
  /** A 204 faster than this is waited out, so a platform that does not long-poll is not hammered. */
  minClaimIntervalMs?: number;
  minHeartbeatMs?: number;
  claimBackoff?: Backoff;
  deliveryBackoff?: Backoff;
};

export type LoopResult = {
  /** 0: stopped, or (--once) no job or its completion delivered; 1: --once and it was not; 3: token refused. */
  exitCode: 0 | 1 | 3;
  jobs: number;
};

export type RunnerLoop = { done: Promise<LoopResult>; stop(): void; readonly active: number };

export function startLoop(options: LoopOptions): RunnerLoop {
  const loop = new Loop(options);
  return {
    done: loop.run(),
    stop: () => loop.stop(),
    get active() {
      return loop.active;
    },
  };
}

class Loop {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Aborted by stop() or a refused token: no more claims, and the grace period starts. */
  private readonly stopping = new AbortController();
  private readonly stopped: Promise<void>;
  private unauthenticated = false;
  private failed = false;
  private jobs = 0;
  /** Set once running jobs were aborted: deliveries end by then, whatever their own deadline. */
  private cutoff = Number.POSITIVE_INFINITY;

  constructor(private readonly o: LoopOptions) {
    this.stopped = new Promise((r) =>
      this.stopping.signal.addEventListener('abort', () => r(), { once: true }),
    );
  }

  get active(): number {
    return this.running.size;
  }

  stop(): void {
    if (this.stopping.signal.aborted) return;
    this.o.log.info('stopping: no new jobs', { running: this.running.size });
    this.stopping.abort();
  }

  async run(): Promise<LoopResult> {
    await this.claimLoop();
    await this.drain();
    const exitCode = this.unauthenticated ? 3 : this.o.once && this.failed ? 1 : 0;
    this.o.log.info('runner loop finished', { jobs: this.jobs, exit_code: exitCode });
    return { exitCode, jobs: this.jobs };
  }

  private refused(): void {
    if (this.unauthenticated) return;
    this.unauthenticated = true;
    this.o.log.error(
      'the platform no longer accepts this runner token (revoked or rotated); stopping. To register again, remove identity.json from the state directory and start with a new --registration-token',
    );
    this.stopping.abort();
    this.cutoff = Date.now() + (this.o.abortDeliveryMs ?? 15_000);
    for (const j of this.running.values()) j.abort.abort(abortError('runner token refused'));
  }

  private async claimLoop(): Promise<void> {
    const signal = this.stopping.signal;
    const concurrency = this.o.concurrency ?? 4;
    let failures = 0;
    while (!signal.aborted) {
      while (this.running.size >= concurrency && !signal.aborted)
        await Promise.race([this.stopped, ...[...this.running.values()].map((j) => j.done)]);
      if (signal.aborted) break;
      const started = Date.now();
      let claimed: ClaimedJob | null;
      try {
        claimed = await this.o.api.claim(this.o.claimWaitSeconds ?? 25, signal, this.o.once ? 3 : 1);
      } catch (e) {
        if (signal.aborted) break;
        if (isUnauthenticated(e)) {
          this.refused();
          break;
        }
        if (this.o.once) {
          this.o.log.error('claim failed', errorFields(e));
          this.failed = true;
          break;
        }
        const delay = backoffDelay(failures++, this.o.claimBackoff ?? { baseMs: 1000, maxMs: 30_000 });
        this.o.log.warn('claim failed; backing off', { retry_in_ms: delay, ...errorFields(e) });
        await sleep(delay, signal);
        continue;
      }
      failures = 0;
      if (claimed) this.start(claimed);
      if (this.o.once) break;
      const early = (this.o.minClaimIntervalMs ?? 1000) - (Date.now() - started);
      if (!claimed && early > 0) await sleep(early, signal);
    }
  }

  private async drain(): Promise<void> {
    if (this.running.size === 0) return;
    const all = Promise.all([...this.running.values()].map((j) => j.done));
    const cancel = new AbortController();
    const grace = this.stopped.then(() => sleep(this.o.graceMs ?? 60_000, cancel.signal));
    await Promise.race([all, grace]);
    if (this.running.size > 0) {
      const wait = this.o.abortDeliveryMs ?? 15_000;
      this.o.log.warn('grace period over; aborting running jobs', { running: this.running.size });
      this.cutoff = Math.min(this.cutoff, Date.now() + wait);
      for (const j of this.running.values()) j.abort.abort(abortError('runner stopping'));
      await Promise.race([all, sleep(wait + 1000, cancel.signal)]);
    }
    cancel.abort();
  }

  private start(c: ClaimedJob): void {
    this.jobs += 1;
    const abort = new AbortController();
    const log = this.o.log.child({ job_id: c.job.id, kind: c.job.kind }, this.o.log.redactor.derive());
    const done = runJob(c, abort, {
      ...this.o,
      log,
      minHeartbeatMs: this.o.minHeartbeatMs ?? 1000,
      deliveryTimeoutMs: this.o.deliveryTimeoutMs ?? 600_000,
      refused: () => this.refused(),
      isRefused: () => this.unauthenticated,
      cutoff: () => this.cutoff,
    })
      .then((outcome) => {
        if (outcome !== 'completed' && outcome !== 'conflict') this.failed = true;
      })
      .catch((e) => {
        this.failed = true;
        log.error('job handling failed', errorFields(e));
      })
      .finally(() => this.running.delete(c.job.id));
    this.running.set(c.job.id, { abort, done });
  }
}
