import type { StepReport } from '../shared/jobs/kinds';
import { type Backoff, backoffDelay, isLeaseLost, isRetryable, isUnauthenticated, sleep } from './client';
import type { StepSink } from './jobs/steps';
import { errorFields, type Logger } from './log';

/**
 * A job's steps on their way to the platform, in the order the adapter reported them. One report
 * is in flight at a time, so order holds; an outage leaves them queued and the head is retried
 * with backoff (the platform records a step once per name, attempt and status, so resending one
 * whose answer was lost is harmless). The queue is bounded: when full, the oldest `running`
 * reports go first, since the final report of the same step says more; final reports are kept.
 */
export type SinkOptions = {
  send: (step: StepReport) => Promise<unknown>;
  /** The platform said the job is no longer ours: stop the job, drop what is queued. */
  onLeaseLost: () => void;
  onUnauthenticated: () => void;
  log: Logger;
  /** Applied to each report before it is queued: the work order's secrets never leave in output. */
  scrub?: (step: StepReport) => StepReport;
  capacity?: number;
  backoff?: Backoff;
};

export type FlushResult = 'flushed' | 'lost' | 'unauthenticated' | 'timeout';

export class JobSink implements StepSink {
  private readonly queue: StepReport[] = [];
  private inFlight = false;
  private pumping: Promise<void> | null = null;
  private state: 'open' | 'lost' | 'unauthenticated' | 'closed' = 'open';
  private dropped = 0;
  private readonly wake = new AbortController();
  /** Aborted by handOver: the pump stops after the report on the wire, a backoff pause ends. */
  private readonly hold = new AbortController();
  private readonly idle = new Set<() => void>();

  constructor(private readonly o: SinkOptions) {}

  get pending(): number {
    return this.queue.length;
  }
  get lost(): boolean {
    return this.state === 'lost';
  }

  report(step: StepReport): void {
    try {
      if (this.state !== 'open') return;
      this.queue.push(this.o.scrub ? this.o.scrub(step) : step);
      if (this.queue.length > (this.o.capacity ?? 1000)) this.dropOldestRunning();
      this.pump();
    } catch (e) {
      // An adapter must never fail because its progress could not be recorded.
      this.o.log.warn('step report dropped', errorFields(e));
    }
  }

  /** The lease is gone (a heartbeat said so): nothing more is sent for this job. */
  markLost(): void {
    this.stop('lost');
  }

  /** Stops sending; what is still queued is abandoned. */
  close(): void {
    this.stop('closed');
  }

  /** Waits until everything queued was delivered, the job was lost, or the deadline passed. */
  async flush(deadline: number): Promise<FlushResult> {
    while (true) {
      if (this.state === 'lost' || this.state === 'unauthenticated') return this.state;
      if (this.queue.length === 0) return 'flushed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.idle.add(done);
      });
    }
  }

  /** What is queued, oldest first (the head may be on the wire). */
  get queued(): readonly StepReport[] {
    return this.queue;
  }

  /**
   * The end of a job: stops sending once the report on the wire (if any) is answered, or the
   * deadline passes, and hands back what is still queued, in order, for the completion to carry
   * (the platform records them first). Nothing more is sent from here. A report still on the wire
   * at the deadline is handed back too: the platform records a step once per name, attempt and
   * status, so a second copy changes nothing.
   */
  async handOver(deadline: number): Promise<{ result: FlushResult; steps: StepReport[] }> {
    this.hold.abort();
    while (this.pumping) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const pause = new AbortController();
      await Promise.race([this.pumping, sleep(left, pause.signal)]);
      pause.abort();
    }
    if (this.state === 'lost' || this.state === 'unauthenticated') return { result: this.state, steps: [] };
    const steps = [...this.queue];
    this.stop('closed');
    return { result: 'flushed', steps };
  }

  private stop(state: 'lost' | 'unauthenticated' | 'closed'): void {
    if (this.state !== 'open') return;
    this.state = state;
    this.queue.length = 0;
    this.wake.abort();
    this.notify();
  }

  private notify(): void {
    for (const f of [...this.idle]) f();
    this.idle.clear();
  }

  private dropOldestRunning(): void {
    // The head may be on the wire right now; it cannot be taken back.
    const from = this.inFlight ? 1 : 0;
    const i = this.queue.findIndex((s, idx) => idx >= from && s.status === 'running');
    if (i < 0) return;
    this.queue.splice(i, 1);
    if (this.dropped++ === 0) this.o.log.warn('step queue full; dropping the oldest running reports');
  }

  private pump(): void {
    if (this.pumping || this.hold.signal.aborted) return;
    this.pumping = this.run().finally(() => {
      this.pumping = null;
      this.notify();
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.state === 'open' && !this.hold.signal.aborted && this.queue.length > 0) {
      const head = this.queue[0]!;
      this.inFlight = true;
      try {
        await this.o.send(head);
        failures = 0;
        if (this.queue[0] === head) this.queue.shift();
        this.notify();
      } catch (e) {
        if (isLeaseLost(e)) {
          this.o.log.warn('lease lost while sending a step; the job stops', { step: head.name });
          this.stop('lost');
          this.o.onLeaseLost();
        } else if (isUnauthenticated(e)) {
          this.stop('unauthenticated');
          this.o.onUnauthenticated();
        } else if (!isRetryable(e)) {
          // The platform refused this report for good; the ones after it still count.
          this.o.log.error('step rejected by the platform', { step: head.name, ...errorFields(e) });
          if (this.queue[0] === head) this.queue.shift();
        } else {
          const delay = backoffDelay(failures++, this.o.backoff ?? { baseMs: 500, maxMs: 15_000 });
          if (failures === 1 || failures % 10 === 0)
            this.o.log.warn('platform unreachable; steps queued', {
              queued: this.queue.length,
              retry_in_ms: delay,
              ...errorFields(e),
            });
          await sleep(delay, AbortSignal.any([this.wake.signal, this.hold.signal]));
        }
      } finally {
        this.inFlight = false;
      }
    }
  }
}
