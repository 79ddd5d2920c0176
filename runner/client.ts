import type { z } from 'zod';
import {
  ClaimJobResponse,
  type CompleteJobRequest,
  CompleteJobResponse,
  type CompleteReport,
  HeartbeatJobResponse,
  type RegisterRunnerRequest,
  RegisterRunnerResponse,
  type ReportJobStepRequest,
  ReportJobStepResponse,
  type StepReport,
} from '../shared/runner/protocol';
import { wellFormed } from '../shared/strings';

/**
 * The runner's side of the platform's runner protocol. Requests that may be repeated without
 * harm are retried on network errors, 5xx and 429 with exponential backoff and jitter, a bounded
 * number of times; a 4xx is the platform's answer and is never retried. Error messages carry the
 * server's message and code, never what was sent: request bodies hold tokens and reports.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/** No answer: refused, reset, timed out. Whether the platform acted on the request is unknown. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export const isUnauthenticated = (e: unknown) => e instanceof ApiProblem && e.status === 401;
/** On the job routes every 409 is LEASE_LOST: the job is no longer this runner's to write. */
export const isLeaseLost = (e: unknown) => e instanceof ApiProblem && e.status === 409;
/** Worth another try: no answer at all, or an answer that says "not now". */
export const isRetryable = (e: unknown) => !(e instanceof ApiProblem) || e.status >= 500 || e.status === 429;

export type Backoff = { baseMs: number; maxMs: number };

/** Exponential with "equal jitter": never less than half the step, so retries stay spaced out. */
export function backoffDelay(attempt: number, b: Backoff): number {
  const step = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

/** Resolves after `ms`, or as soon as `signal` aborts (without throwing: callers check the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type Registered = RegisterRunnerResponse;

/** What the job loop needs of the client; tests may stand in for it. */
export type RunnerApi = Pick<RunnerClient, 'claim' | 'heartbeat' | 'step' | 'complete'>;

export type RegisterBody = z.input<typeof RegisterRunnerRequest>;

/**
 * A 2xx answer that does not match the protocol. `isRetryable` counts it as retryable, like no
 * answer: the loop backs off and claims again, and a job whose claim it could not read is re-taken
 * when its lease runs out. The message names fields, never values: a claim carries a sealed box.
 */
export class ProtocolMismatch extends Error {
  constructor(
    readonly path: string,
    readonly fields: string[],
  ) {
    super(`the platform's answer to ${path} does not match the runner protocol at ${fields.join(', ')}`);
    this.name = 'ProtocolMismatch';
  }
}

function answer<T extends z.ZodType>(schema: T, path: string, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const fields = new Set(r.error.issues.map((i) => i.path.join('.') || '(body)'));
  throw new ProtocolMismatch(path, [...fields].slice(0, 10));
}

export type ClientOptions = {
  /** The platform's origin, as validated by config.ts (https, or http on loopback). */
  api: string;
  token?: string;
  userAgent?: string;
  timeoutMs?: number;
  /** Attempts for a retryable request, the first included. */
  attempts?: number;
  backoff?: Backoff;
};

type RequestOptions = {
  timeoutMs?: number;
  attempts?: number;
  signal?: AbortSignal;
  auth?: boolean;
  retryOn?: (e: unknown) => boolean;
};

export class RunnerClient {
  private readonly base: string;
  private token: string | undefined;

  constructor(private readonly opts: ClientOptions) {
    this.base = `${new URL(opts.api).origin}/api/v1`;
    this.token = opts.token;
  }

  setToken(token: string): void {
    this.token = token;
  }

  /**
   * Not repeated after a lost answer: the token is single-use, so a retry could only fail with 409
   * and hide whether the first attempt registered. A refused connection, 5xx or 429 means it did
   * not, and is retried.
   */
  async register(body: RegisterBody): Promise<Registered> {
    const path = '/runner/register';
    const res = await this.request(path, body, {
      auth: false,
      attempts: 4,
      retryOn: (e) =>
        e instanceof ApiProblem ? isRetryable(e) : e instanceof NetworkError && e.code === 'ECONNREFUSED',
    });
    return answer(RegisterRunnerResponse, path, res);
  }

  /** The job, or null when the platform had none within `waitSeconds`. Not retried: the loop backs off. */
  async claim(waitSeconds: number, signal?: AbortSignal, attempts = 1): Promise<ClaimJobResponse | null> {
    const path = '/runner/jobs/claim';
    const res = await this.request(
      path,
      { wait_seconds: waitSeconds },
      { timeoutMs: (waitSeconds + 10) * 1000, attempts, ...(signal ? { signal } : {}) },
    );
    return res === null ? null : answer(ClaimJobResponse, path, res);
  }

  async heartbeat(jobId: string, leaseToken: number, signal?: AbortSignal): Promise<HeartbeatJobResponse> {
    const path = `/runner/jobs/${encodeURIComponent(jobId)}/heartbeat`;
    const res = await this.request(
      path,
      { lease_token: leaseToken },
      { attempts: 2, ...(signal ? { signal } : {}) },
    );
    return answer(HeartbeatJobResponse, path, res);
  }

  /** One attempt: the step sink keeps its own queue and backoff, so order survives an outage. */
  async step(jobId: string, leaseToken: number, step: StepReport): Promise<ReportJobStepResponse> {
    const path = `/runner/jobs/${encodeURIComponent(jobId)}/steps`;
    const body: ReportJobStepRequest = { lease_token: leaseToken, ...step };
    const res = await this.request(path, body, { attempts: 1 });
    return answer(ReportJobStepResponse, path, res);
  }

  /**
   * One attempt: the loop retries until delivered, refused or out of time. `steps` are reports
   * not delivered yet, recorded before the completion; left out when there are none.
   */
  async complete(
    jobId: string,
    leaseToken: number,
    report: CompleteReport,
    steps: readonly StepReport[] = [],
  ): Promise<void> {
    const path = `/runner/jobs/${encodeURIComponent(jobId)}/complete`;
    const body: CompleteJobRequest = {
      lease_token: leaseToken,
      ...report,
      ...(steps.length ? { steps: [...steps] } : {}),
    };
    answer(CompleteJobResponse, path, await this.request(path, body, { attempts: 1 }));
  }

  private async request(path: string, body: unknown, o: RequestOptions = {}): Promise<unknown> {
    const attempts = Math.max(1, o.attempts ?? this.opts.attempts ?? 3);
    const backoff = this.opts.backoff ?? { baseMs: 250, maxMs: 5000 };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(path, body, o);
      } catch (e) {
        if (o.signal?.aborted || attempt + 1 >= attempts || !(o.retryOn ?? isRetryable)(e)) throw e;
        await sleep(backoffDelay(attempt, backoff), o.signal);
        if (o.signal?.aborted) throw e;
      }
    }
  }

  private async once(path: string, body: unknown, o: RequestOptions): Promise<unknown> {
    const timeout = AbortSignal.timeout(o.timeoutMs ?? this.opts.timeoutMs ?? 15_000);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': this.opts.userAgent ?? 'k8s-manage-runner',
    };
    if (o.auth !== false) {
      if (!this.token) throw new ApiProblem(401, 'UNAUTHENTICATED', 'this runner has no token yet');
      headers.authorization = `Bearer ${this.token}`;
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers,
        // Command output may hold NUL or broken UTF-16, which the platform refuses (SPEC §7.5).
        body: JSON.stringify(body, (_k, v) => (typeof v === 'string' ? wellFormed(v) : v)),
        signal,
      });
    } catch (e) {
      // undici names the request in some messages; keep the reason, not the rest.
      const reason = timeout.aborted
        ? 'timed out'
        : (e as Error).name === 'AbortError'
          ? 'aborted'
          : 'failed';
      const code = (e as { cause?: { code?: unknown } }).cause?.code;
      throw typeof code === 'string'
        ? new NetworkError(`request ${reason} (${code})`, code)
        : new NetworkError(`request ${reason}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 204) return null;
    if (res.ok) {
      try {
        return text ? JSON.parse(text) : {};
      } catch {
        throw new ApiProblem(
          res.status,
          'BAD_RESPONSE',
          'the platform answered with something other than JSON',
        );
      }
    }
    let err: { code?: unknown; message?: unknown; request_id?: unknown } = {};
    try {
      err = (JSON.parse(text) as { error?: typeof err }).error ?? {};
    } catch {}
    throw new ApiProblem(
      res.status,
      typeof err.code === 'string' ? err.code : `HTTP_${res.status}`,
      typeof err.message === 'string' ? err.message.slice(0, 500) : `the platform answered ${res.status}`,
      typeof err.request_id === 'string' ? err.request_id : undefined,
    );
  }
}
