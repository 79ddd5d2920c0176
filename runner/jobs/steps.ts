import type { ErrorCode } from '../../shared/errors';
import type { StepReport } from '../../shared/jobs/kinds';

/** The most of a command's output a step carries: the tail, where the error usually is. */
export const OUTPUT_LIMIT = 16_384;

export const tail = (text: string, limit = OUTPUT_LIMIT) =>
  text.length <= limit ? text : `…${text.slice(text.length - limit + 1)}`;

/** A step that failed for a reason the platform has a code for; adapters throw it, runStep reports it. */
export class StepError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { output?: string; detail?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** Where a job's steps go. `report` never throws: the runner buffers what the API could not take yet. */
export interface StepSink {
  report(step: StepReport): void;
}

/** What an adapter gets besides its work order. */
export type RunContext = {
  steps: StepSink;
  /** The attempt of this job (1 on the first claim); step rows are keyed by it. */
  attempt: number;
  /** Aborted when the runner stops or loses the lease: stop at the next safe point. */
  signal: AbortSignal;
};

export type StepResult = {
  output?: string;
  detail?: Record<string, unknown>;
  /** The host key a connect step saw (`SHA256:…`), for the platform to pin on first contact. */
  observedHostKey?: string;
};

/**
 * Runs one step: reports it running, then succeeded or failed with timings, the tail of its
 * output and an error code. The error is re-thrown so the job stops at the first failed step.
 */
export async function runStep<T>(
  ctx: RunContext,
  name: string,
  fn: () => Promise<T>,
  opts: { hostId?: string; result?: (value: T) => StepResult } = {},
): Promise<T> {
  const started_at = new Date().toISOString();
  const base = { name, attempt: ctx.attempt, started_at, ...(opts.hostId ? { host_id: opts.hostId } : {}) };
  ctx.steps.report({ ...base, status: 'running' });
  try {
    const value = await fn();
    const r = opts.result?.(value) ?? {};
    ctx.steps.report({
      ...base,
      status: 'succeeded',
      finished_at: new Date().toISOString(),
      ...(r.output !== undefined ? { output: tail(r.output) } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      ...(r.observedHostKey ? { observed_host_key: r.observedHostKey } : {}),
    });
    return value;
  } catch (e) {
    const err =
      e instanceof StepError
        ? e
        : new StepError(ctx.signal.aborted ? 'TIMEOUT' : 'APPLY_FAILED', (e as Error).message);
    ctx.steps.report({
      ...base,
      status: 'failed',
      finished_at: new Date().toISOString(),
      error_code: err.code,
      output: tail(err.extra.output ?? err.message),
      detail: { message: err.message.slice(0, 2000), ...(err.extra.detail ?? {}) },
    });
    throw err;
  }
}
