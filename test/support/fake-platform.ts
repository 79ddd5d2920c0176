import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimAad, generateSealingKeyPair, seal } from '../../shared/crypto/sealed-box';
import type { ClaimedJob, WorkOrder } from '../../shared/jobs/claim';
import { CompleteReport, StepReport } from '../../shared/jobs/kinds';

/**
 * For the runner's tests: the platform's side of the runner protocol, in memory, on loopback.
 * It keeps the rules the runner relies on: single-use registration tokens, bearer tokens that can
 * be revoked, lease fencing with 409 LEASE_LOST, steps recorded once per (name, attempt, status),
 * sealed work orders bound to job and lease, and long-polled claims that re-take expired leases.
 */
export type FakeJob = {
  id: string;
  work: WorkOrder;
  attempt: number;
  leaseToken: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  runnerId: string | null;
  leaseExpiresAt: number;
  /** Steps as first recorded, in arrival order. */
  steps: StepReport[];
  completion: CompleteReport | null;
  /** Step reports that arrived with the completion rather than on their own. */
  carried: number;
  heartbeats: number;
  /** Every write the job saw, accepted or not, with the time it arrived. */
  writes: { type: 'step' | 'complete' | 'heartbeat'; at: number; status: number }[];
  /** Seal the box so this runner cannot open it. */
  sealFor?: 'other-key' | 'other-lease';
};

type Runner = { id: string; poolId: string; publicKey: string; revoked: boolean };

export class FakePlatform {
  readonly registrationTokens = new Set<string>();
  readonly runners = new Map<string, Runner>();
  readonly jobs: FakeJob[] = [];
  registerCalls = 0;
  claimCalls = 0;
  /** 'unavailable': every request gets 503, as a platform behind a load balancer that lost its backends. */
  mode: 'up' | 'unavailable' = 'up';
  leaseMs = 30_000;
  /** The most a claim waits for work, whatever the runner asked for: keeps tests fast. */
  longPollMs = 200;
  maxRunning = 0;
  /** Writes of these kinds are carried out, but the answer is lost once (the connection is cut). */
  readonly loseAnswerTo = new Set<'step' | 'complete'>();
  /** As a platform from before completions carried steps: one that names `steps` gets 422. */
  refuseCarriedSteps = false;
  private server: Server;
  private port = 0;

  private constructor() {
    this.server = this.makeServer();
  }

  static async start(): Promise<FakePlatform> {
    const p = new FakePlatform();
    await p.listen();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  newRegistrationToken(): string {
    const t = `reg_${randomBytes(16).toString('hex')}`;
    this.registrationTokens.add(t);
    return t;
  }

  addJob(work: WorkOrder, opts: { sealFor?: FakeJob['sealFor'] } = {}): FakeJob {
    const job: FakeJob = {
      id: `job_${randomBytes(6).toString('hex')}`,
      work,
      attempt: 0,
      leaseToken: 0,
      status: 'queued',
      runnerId: null,
      leaseExpiresAt: 0,
      steps: [],
      completion: null,
      carried: 0,
      heartbeats: 0,
      writes: [],
      ...opts,
    };
    this.jobs.push(job);
    return job;
  }

  /** As if another runner re-took the job and keeps it: the holder's lease token is stale from now on. */
  takeOver(job: FakeJob): void {
    job.leaseToken += 1;
    job.runnerId = 'runner_other';
    job.leaseExpiresAt = Date.now() + 3_600_000;
  }

  revokeAll(): void {
    for (const r of this.runners.values()) r.revoked = true;
  }

  /** Stops answering at all: connections are cut and new ones refused, until up(). */
  async down(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async up(): Promise<void> {
    this.server = this.makeServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  private listen(port = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private makeServer(): Server {
    return createServer((req, res) => {
      this.handle(req, res).catch(() => send(res, 500, problem('INTERNAL', 'fake platform failed')));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      : {};
    if (this.mode === 'unavailable') return send(res, 503, problem('NOT_READY', 'try again later'));
    const path = (req.url ?? '').replace(/^\/api\/v1/, '');
    if (req.method !== 'POST') return send(res, 405, problem('BAD_REQUEST', 'POST only'));
    if (path === '/runner/register') return this.register(body, res);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const runner = token ? this.runners.get(token) : undefined;
    if (!runner || runner.revoked)
      return send(res, 401, problem('UNAUTHENTICATED', 'runner token not accepted'));
    if (path === '/runner/jobs/claim') return this.claim(runner, Number(body.wait_seconds ?? 0), res);
    const m = /^\/runner\/jobs\/([^/]+)\/(heartbeat|steps|complete)$/.exec(path);
    const job = m ? this.jobs.find((j) => j.id === decodeURIComponent(m[1]!)) : undefined;
    if (!m || !job) return send(res, 404, problem('NOT_FOUND', 'no such job'));
    const type = m[2] === 'steps' ? 'step' : (m[2] as 'heartbeat' | 'complete');
    const { lease_token, ...rest } = body;
    const held = job.status === 'running' && job.leaseToken === lease_token && job.runnerId === runner.id;
    const lose = type !== 'heartbeat' && this.loseAnswerTo.delete(type);
    const status = held
      ? this.write(job, type, rest, lose ? null : res)
      : send(res, 409, problem('LEASE_LOST', 'lease lost'));
    if (lose) res.socket?.destroy();
    job.writes.push({ type, at: Date.now(), status });
  }

  private write(
    job: FakeJob,
    type: 'step' | 'complete' | 'heartbeat',
    body: unknown,
    res: ServerResponse | null,
  ): number {
    if (type === 'heartbeat') {
      job.heartbeats += 1;
      job.leaseExpiresAt = Date.now() + this.leaseMs;
      return send(res, 200, { lease_expires_at: new Date(job.leaseExpiresAt).toISOString() });
    }
    const record = (s: StepReport) => {
      const seen = job.steps.some(
        (x) => x.name === s.name && x.attempt === s.attempt && x.status === s.status,
      );
      if (!seen) job.steps.push(s);
      return !seen;
    };
    if (type === 'step') {
      const step = StepReport.safeParse(body);
      if (!step.success) return send(res, 422, problem('VALIDATION_FAILED', 'bad step'));
      return send(res, 200, { recorded: record(step.data) });
    }
    // The steps a completion carries are recorded first, in order, as the platform does.
    const { steps, ...rest } = body as { steps?: unknown };
    if (steps !== undefined && this.refuseCarriedSteps)
      return send(res, 422, problem('VALIDATION_FAILED', 'unrecognized key: steps'));
    const carried = StepReport.array().optional().safeParse(steps);
    const report = CompleteReport.safeParse(rest);
    if (!carried.success || !report.success)
      return send(res, 422, problem('VALIDATION_FAILED', 'bad completion'));
    for (const s of carried.data ?? []) record(s);
    job.carried += carried.data?.length ?? 0;
    job.completion = report.data;
    job.status = report.data.status;
    return send(res, 200, { job_id: job.id, status: report.data.status });
  }

  private register(body: Record<string, unknown>, res: ServerResponse): void {
    this.registerCalls += 1;
    const token = String(body.registration_token ?? '');
    if (!this.registrationTokens.delete(token))
      return void send(res, 401, problem('UNAUTHENTICATED', 'registration token not valid'));
    const runner: Runner = {
      id: `runner_${randomBytes(6).toString('hex')}`,
      poolId: 'pool_1',
      publicKey: String(body.public_key),
      revoked: false,
    };
    const runnerToken = `rt_${randomBytes(24).toString('base64url')}`;
    this.runners.set(runnerToken, runner);
    send(res, 201, { runner_id: runner.id, runner_token: runnerToken, runner_pool_id: runner.poolId });
  }

  private async claim(runner: Runner, waitSeconds: number, res: ServerResponse) {
    this.claimCalls += 1;
    const until = Date.now() + Math.min(waitSeconds * 1000, this.longPollMs);
    let gone = false;
    res.once('close', () => {
      gone = true;
    });
    for (;;) {
      const now = Date.now();
      const job = this.jobs.find(
        (j) => j.status === 'queued' || (j.status === 'running' && j.leaseExpiresAt < now),
      );
      if (job) return void send(res, 200, this.lease(job, runner));
      if (gone || now >= until) return void send(res, 204, null);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private lease(job: FakeJob, runner: Runner): ClaimedJob {
    job.attempt += 1;
    job.leaseToken += 1;
    job.status = 'running';
    job.runnerId = runner.id;
    job.leaseExpiresAt = Date.now() + this.leaseMs;
    this.maxRunning = Math.max(this.maxRunning, this.jobs.filter((j) => j.status === 'running').length);
    const recipient = job.sealFor === 'other-key' ? generateSealingKeyPair().publicKey : runner.publicKey;
    const aadLease = job.sealFor === 'other-lease' ? job.leaseToken + 1 : job.leaseToken;
    return {
      job: {
        id: job.id,
        kind: job.work.kind,
        kind_version: 1,
        attempt: job.attempt,
        lease_token: job.leaseToken,
        lease_expires_at: new Date(job.leaseExpiresAt).toISOString(),
        payload: {},
      },
      sealed: seal(recipient, Buffer.from(JSON.stringify(job.work)), claimAad(job.id, aadLease)),
    };
  }
}

const problem = (code: string, message: string) => ({
  error: { code, message, fields: [], request_id: 'req_t' },
});

function send(res: ServerResponse | null, status: number, body: unknown): number {
  if (!res || res.writableEnded || res.destroyed) return status;
  if (status === 204) res.writeHead(204).end();
  else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return status;
}
