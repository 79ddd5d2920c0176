import type { KeyObject } from 'node:crypto';
import ssh2 from 'ssh2';
import { markDispatched, undispatchedJobs } from '../functions/api/jobs/repo';
import { createJob } from '../functions/api/jobs/service';
import { dispatchQueued } from '../functions/api/runners/dispatch';
import type { Clock } from '../functions/platform/clock';
import type { Db } from '../functions/platform/db/types';
import type { JobQueue } from '../functions/platform/queue/types';
import { claimAad, generateSealingKeyPair, openBox } from '../shared/crypto/sealed-box';
import { type ClaimedJob, WorkOrder } from '../shared/jobs/claim';
import { type Backend, postgresReachable, TEST_PG_URL } from '../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../test/support/platform';
import { machine } from './machine';
import { fmt, median, percentile, table } from './stats';

export type ClaimBenchOptions = {
  /** Claims timed per latency variant, after `warmup` untimed ones of each. */
  samples: number;
  warmup: number;
  /** Throughput: alternating rounds of 1 and of 4 runners, each draining `jobs` queued jobs. */
  rounds: number;
  jobs: number;
};

/** Runners in the parallel throughput variant. */
const PARALLEL = 4;
/** Jobs rotate over this many hosts, so that the host row each job locks is not one shared lock. */
const HOSTS = 8;
/** Long enough that no claim in the latency loop ever ends by its deadline instead of a job. */
const WAIT_SECONDS = 5;

type Json = Record<string, any>;

type BenchRunner = {
  id: string;
  post(path: string, body: unknown): Promise<{ status: number; json: Json }>;
  claim(waitSeconds: number): Promise<ClaimedJob | null>;
  open(c: ClaimedJob): WorkOrder;
};

/** The API as a runner and an admin see it, in-process: no socket, no HTTP server. */
async function call(p: TestPlatform, method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await p.app.request(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json, text };
}

async function must(
  p: TestPlatform,
  method: string,
  path: string,
  token: string | null,
  body: unknown,
  status: number,
) {
  const r = await call(p, method, path, token, body);
  if (r.status !== status) throw new Error(`${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json;
}

async function registerRunner(p: TestPlatform, admin: string, poolId: string, name: string) {
  const t = await must(p, 'POST', `/runner-pools/${poolId}/registration-tokens`, admin, {}, 201);
  const keys = generateSealingKeyPair();
  const reg = await must(
    p,
    'POST',
    '/runner/register',
    null,
    { registration_token: t.token, name, labels: {}, public_key: keys.publicKey },
    201,
  );
  return runnerClient(p, reg.runner_id, reg.runner_token, keys.privateKey);
}

function runnerClient(p: TestPlatform, id: string, token: string, privateKey: KeyObject): BenchRunner {
  const post = async (path: string, body: unknown) => {
    const r = await call(p, 'POST', path, token, body);
    return { status: r.status, json: r.json };
  };
  return {
    id,
    post,
    async claim(waitSeconds) {
      const r = await post('/runner/jobs/claim', { wait_seconds: waitSeconds });
      if (r.status === 204) return null;
      if (r.status !== 200) throw new Error(`claim answered ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json as ClaimedJob;
    },
    open(c) {
      const plain = openBox(privateKey, c.sealed, claimAad(c.job.id, c.job.lease_token));
      return WorkOrder.parse(JSON.parse(plain.toString('utf8')));
    },
  };
}

/** What a runner does with a host test it claimed, minus the SSH: two steps, then the outcome. */
async function finishJob(r: BenchRunner, c: ClaimedJob) {
  const lease_token = c.job.lease_token;
  const base = `/runner/jobs/${c.job.id}`;
  for (const name of ['connect', 'probe']) {
    const s = await r.post(`${base}/steps`, { lease_token, name, attempt: 1, status: 'succeeded' });
    if (s.status !== 200) throw new Error(`step answered ${s.status}: ${JSON.stringify(s.json)}`);
  }
  const done = await r.post(`${base}/complete`, {
    lease_token,
    status: 'succeeded',
    result: { reachable: true, version: 'bench', latency_ms: 1 },
  });
  if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${JSON.stringify(done.json)}`);
}

/** Completes a job without the steps: keeps the latency loop's table from filling with running jobs. */
async function closeJob(r: BenchRunner, c: ClaimedJob) {
  const done = await r.post(`/runner/jobs/${c.job.id}/complete`, {
    lease_token: c.job.lease_token,
    status: 'succeeded',
  });
  if (done.status !== 200) throw new Error(`complete answered ${done.status}`);
}

/**
 * The queue the app uses, with a hook that says when a claim has started to wait on it: only then
 * is the claim "already waiting" when the job is enqueued.
 */
function watchedQueue(inner: JobQueue) {
  let waiters: (() => void)[] = [];
  let receives = 0;
  const queue: JobQueue = {
    ...inner,
    receive(poolId, o) {
      receives += 1;
      const r = inner.receive(poolId, o);
      for (const w of waiters) w();
      waiters = [];
      return r;
    },
  };
  return {
    queue,
    nextReceive: () => new Promise<void>((resolve) => waiters.push(resolve)),
    // A claim that was woken and found no job to take goes back to waiting: a second receive.
    receives: () => receives,
  };
}

/**
 * BENCH-ONLY diagnostic, not a proposed implementation: dispatchQueued with its two writes
 * swapped (mark the rows dispatched, then wake). It shows whether a woken claim's `FOR UPDATE
 * SKIP LOCKED` skips the job because markDispatched's UPDATE still holds the row.
 */
async function dispatchMarkingFirst(db: Db, queue: JobQueue, clock: Clock) {
  const rows = await undispatchedJobs(db, 100);
  const byPool = new Map<string, string[]>();
  for (const r of rows)
    if (r.runnerPoolId) byPool.set(r.runnerPoolId, [...(byPool.get(r.runnerPoolId) ?? []), r.id]);
  for (const [pool, ids] of byPool) {
    await markDispatched(db, ids, clock.now());
    await queue.publish(pool, ids);
  }
  return rows.length;
}

type Setup = {
  p: TestPlatform;
  admin: string;
  hosts: string[];
  runners: BenchRunner[];
  nextReceive: () => Promise<void>;
  receives: () => number;
  /** A host test written the way the API writes it (createJob in a transaction); not dispatched. */
  createHostTest(i: number): Promise<string>;
  dispatch(): Promise<number>;
  dispatchMarkingFirst(): Promise<number>;
};

async function setup(backend: Backend): Promise<Setup> {
  const p = await createTestPlatform(backend, {
    K8SM_JOB_LEASE_SECONDS: '300',
    K8SM_CLAIM_WAIT_SECONDS: '25',
  });
  try {
    if (p.deps.queue.kind !== 'postgres') throw new Error('expected the Postgres-table queue');
    const watched = watchedQueue(p.deps.queue);
    p.deps.queue = watched.queue;
    const admin = await p.adminToken();
    const project = (await must(p, 'POST', '/projects', admin, { name: 'bench-claim' }, 201)).id as string;
    const pool = (await must(p, 'POST', '/runner-pools', admin, { name: 'bench', project_id: project }, 201))
      .id as string;
    const key = ssh2.utils.generateKeyPairSync('ed25519');
    const cred = await must(
      p,
      'POST',
      '/credentials',
      admin,
      { project_id: project, name: 'deploy', kind: 'ssh_private_key', payload: { private_key: key.private } },
      201,
    );
    const hosts: string[] = [];
    for (let i = 0; i < HOSTS; i++) {
      const h = await must(
        p,
        'POST',
        '/hosts',
        admin,
        {
          project_id: project,
          name: `h${i}`,
          address: '127.0.0.1',
          port: 22,
          username: 'deploy',
          credential_id: cred.id,
          runner_pool_id: pool,
        },
        201,
      );
      hosts.push(h.id);
    }
    const runners: BenchRunner[] = [];
    for (let i = 0; i < PARALLEL; i++) runners.push(await registerRunner(p, admin, pool, `r${i}`));
    const { db } = p.deps.database;
    return {
      p,
      admin,
      hosts,
      runners,
      nextReceive: watched.nextReceive,
      receives: watched.receives,
      createHostTest: async (i) => {
        const hostId = hosts[i % hosts.length]!;
        const job = await db.transaction((tx) =>
          createJob(tx, p.deps.clock, {
            kind: 'host_test',
            projectId: project,
            environmentId: null,
            runnerPoolId: pool,
            resourceType: 'host',
            resourceId: hostId,
            payload: { host_id: hostId },
          }),
        );
        return job.id;
      },
      dispatch: () => dispatchQueued(db, p.deps.queue, p.deps.clock),
      dispatchMarkingFirst: () => dispatchMarkingFirst(db, p.deps.queue, p.deps.clock),
    };
  } catch (e) {
    await p.close();
    throw e;
  }
}

/** One timed claim: total ms, its named parts, and how often the woken claim had to wait again. */
type Sample = { total: number; parts: Record<string, number>; missed: number };

type Variant = { name: string; part?: string[]; run: () => Promise<Sample> };

type Latency = { name: string; total: number[]; parts: Record<string, number[]>; missed: number }[];

async function measureLatency(s: Setup, opts: ClaimBenchOptions): Promise<Latency> {
  const r = s.runners[0]!;
  let n = 0;
  const take = async (claim: Promise<ClaimedJob | null>, jobId: string) => {
    const c = await claim;
    if (c?.job.id !== jobId) throw new Error(`the claim returned ${c?.job.id ?? 'nothing'}, not ${jobId}`);
    return c;
  };
  /** Starts a claim and resolves once it waits on the queue (the table was looked at and empty). */
  const waitingClaim = async () => {
    const waits = s.nextReceive();
    const claim = r.claim(WAIT_SECONDS);
    await waits;
    return { claim, receives: s.receives() };
  };
  const enqueueThen = (dispatch: () => Promise<number>) => async (): Promise<Sample> => {
    const w = await waitingClaim();
    const t0 = performance.now();
    const jobId = await s.createHostTest(n++);
    const t1 = performance.now();
    await dispatch();
    const c = await take(w.claim, jobId);
    const t2 = performance.now();
    const missed = s.receives() - w.receives;
    await closeJob(r, c);
    return { total: t2 - t0, parts: { create: t1 - t0, wake: t2 - t1 }, missed };
  };
  const variants: Variant[] = [
    {
      name: 'job already queued, then the claim (baseline: pure claim)',
      run: async () => {
        const jobId = await s.createHostTest(n++);
        await s.dispatch();
        const before = s.receives();
        const t0 = performance.now();
        const c = await take(r.claim(WAIT_SECONDS), jobId);
        const total = performance.now() - t0;
        const missed = s.receives() - before;
        await closeJob(r, c);
        return { total, parts: {}, missed };
      },
    },
    {
      name: 'claim waiting; `createJob` in a transaction, then `dispatchQueued`',
      run: enqueueThen(s.dispatch),
    },
    {
      name: 'claim waiting; job queued by `POST /hosts/{id}/test-connection`',
      run: async () => {
        const w = await waitingClaim();
        const host = s.hosts[n++ % s.hosts.length]!;
        const t0 = performance.now();
        const q = await must(s.p, 'POST', `/hosts/${host}/test-connection`, s.admin, undefined, 202);
        const t1 = performance.now();
        const c = await take(w.claim, q.job_id);
        const t2 = performance.now();
        const missed = s.receives() - w.receives;
        await closeJob(r, c);
        return { total: t2 - t0, parts: { post: t1 - t0 }, missed };
      },
    },
    {
      name: 'diagnostic: as the second, dispatch marking rows before waking (bench-only)',
      run: enqueueThen(s.dispatchMarkingFirst),
    },
  ];
  const out: Latency = variants.map((v) => ({ name: v.name, total: [], parts: {}, missed: 0 }));
  for (let i = 0; i < opts.warmup; i++) for (const v of variants) await v.run();
  for (let i = 0; i < opts.samples; i++) {
    // Rotated, so that no variant always runs right after the same other one.
    for (let j = 0; j < variants.length; j++) {
      const k = (i + j) % variants.length;
      const sample = await variants[k]!.run();
      const o = out[k]!;
      o.total.push(sample.total);
      o.missed += sample.missed > 0 ? 1 : 0;
      for (const [part, ms] of Object.entries(sample.parts)) {
        o.parts[part] ??= [];
        o.parts[part].push(ms);
      }
    }
  }
  return out;
}

/** Drains `jobs` queued jobs with `runners` runners in parallel; jobs per second of wall time. */
async function throughputRound(s: Setup, runners: number, jobs: number): Promise<number> {
  for (let i = 0; i < jobs; i++) await s.createHostTest(i);
  // dispatchQueued sends at most 100 per call, as the app's middleware does after a request.
  for (let i = 0; i < Math.ceil(jobs / 100) + 1; i++) if ((await s.dispatch()) === 0) break;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    s.runners.slice(0, runners).map(async (r) => {
      for (let i = 0; i <= jobs; i++) {
        const c = await r.claim(0);
        if (!c) return;
        r.open(c);
        await finishJob(r, c);
        done += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (done !== jobs) throw new Error(`${runners} runner(s) finished ${done} of ${jobs} jobs`);
  return jobs / seconds;
}

async function measureThroughput(s: Setup, opts: ClaimBenchOptions) {
  const one: number[] = [];
  const many: number[] = [];
  await throughputRound(s, 1, Math.min(opts.jobs, 20));
  await throughputRound(s, PARALLEL, Math.min(opts.jobs, 20));
  for (let i = 0; i < opts.rounds; i++) {
    // Alternating, and swapping which goes first, so load from elsewhere hits both alike.
    const order = i % 2 ? [PARALLEL, 1] : [1, PARALLEL];
    for (const n of order) (n === 1 ? one : many).push(await throughputRound(s, n, opts.jobs));
  }
  return { one, many };
}

type BackendResult = { backend: Backend; latency: Latency; one: number[]; many: number[] };

async function measureBackend(backend: Backend, opts: ClaimBenchOptions): Promise<BackendResult> {
  const s = await setup(backend);
  try {
    const latency = await measureLatency(s, opts);
    const { one, many } = await measureThroughput(s, opts);
    return { backend, latency, one, many };
  } finally {
    await s.p.deps.queue.close();
    await s.p.close();
  }
}

const PART_NAMES: Record<string, string> = {
  create: '… of which `createJob`’s transaction',
  wake: '… of which the job’s commit → the claim’s answer (dispatch, wake, claim)',
  post: '… of which the POST alone (handler, then the dispatch the app runs after it)',
};

function section(r: BackendResult, opts: ClaimBenchOptions): string {
  const base = r.latency[0]!.total;
  const base50 = median(base);
  const base99 = percentile(base, 99);
  const row = (name: string, s: number[], missed: string) => [
    name,
    fmt(median(s), 2),
    fmt(percentile(s, 90), 2),
    fmt(percentile(s, 99), 2),
    fmt(Math.max(...s), 1),
    `${fmt(median(s) / base50, 2)}×`,
    `${fmt(percentile(s, 99) / base99, 2)}×`,
    missed,
  ];
  const latencyRows = r.latency.flatMap((v) => [
    row(v.name, v.total, `${v.missed} of ${v.total.length}`),
    ...Object.entries(v.parts).map(([part, s]) => row(PART_NAMES[part] ?? part, s, '')),
  ]);
  const one = median(r.one);
  const many = median(r.many);
  const [, waiting, viaApi, marked] = r.latency;
  const n = base.length;
  const found: string[] = [];
  const wake = median(waiting!.parts.wake!);
  if (waiting!.missed === 0)
    found.push(
      `From the job's commit, the waiting claim answers in ${fmt(wake, 2)} ms (p50), ${fmt(wake / base50, 2)}× the pure
  claim's whole request. Waking is cheap: the waiting claim was authenticated and had looked at the
  table before it waited, so after the wake only the claim's transaction and the sealing remain,
  and the outbox's select and update run in between.`,
    );
  else
    found.push(
      `${waiting!.missed} of ${n} woken claims (and ${viaApi!.missed} of ${n} after the API's POST) found no job, went
  back to waiting and took the job only at the queue's next poll, 1 s later (\`pollMs\`,
  functions/platform/queue/postgres.ts); hence p50 ${fmt(median(waiting!.total), 0)} ms, p90 ${fmt(percentile(waiting!.total, 90), 0)} ms. \`dispatchQueued\`
  (functions/api/runners/dispatch.ts) wakes the claimer (\`publish\`) before its \`markDispatched\` UPDATE of
  the job row commits, and the woken claim's \`select … for update skip locked\` (\`claimNext\`,
  functions/api/jobs/repo.ts) skips the row that UPDATE still holds. With the two writes swapped
  (the bench-only diagnostic row) ${marked!.missed} of ${n} missed, and the commit → answer p50 is
  ${fmt(median(marked!.parts.wake!), 2)} ms (${fmt(median(marked!.parts.wake!) / base50, 2)}× the pure claim). PGlite has one connection: the UPDATE has
  committed before the claim's transaction starts, so it never misses.`,
    );
  found.push(
    `Enqueued through the API, the POST itself (${fmt(median(viaApi!.parts.post!), 2)} ms p50: authentication, the
  handler's transaction, then the dispatch) is most of the time to the claim's answer.`,
  );
  found.push(
    `${PARALLEL} runners move ${fmt(many / one, 2)}× the jobs per second of one. ${
      r.backend === 'pglite'
        ? `PGlite runs every statement on its one
  connection in this one process, so runners in parallel only queue for it (and contend on it).`
        : `On Postgres, transactions
  of different runners run side by side (pool of 4 connections), within the one Node process's CPU.`
    }`,
  );
  const spread = (s: number[]) => `${fmt(percentile(s, 10), 1)}–${fmt(percentile(s, 90), 1)}`;
  return `### ${r.backend === 'postgres' ? 'Postgres' : 'PGlite (in memory)'}

Claim latency, ms (${base.length} claims per variant; "woken, found nothing" counts claims that were
woken, found no job to take and went back to waiting):

${table(['variant', 'p50', 'p90', 'p99', 'max', 'p50 vs baseline', 'p99 vs baseline', 'woken, found nothing'], latencyRows)}

Throughput, claim → open the work order → 2 steps → complete (${r.one.length} rounds of ${opts.jobs} jobs per variant):

${table(
  ['runners', 'jobs/s (median round)', 'jobs/s p10–p90', 'ms per job', 'vs 1 runner'],
  [
    ['1 (baseline)', fmt(one, 1), spread(r.one), fmt(1000 / one, 1), '1.00×'],
    [String(PARALLEL), fmt(many, 1), spread(r.many), fmt(1000 / many, 1), `${fmt(many / one, 2)}×`],
  ],
)}

Findings:

${found.map((f) => `- ${f}`).join('\n')}`;
}

export async function claimBench(opts: ClaimBenchOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const results: BackendResult[] = [];
  const skipped: string[] = [];
  for (const backend of ['pglite', 'postgres'] as const) {
    if (backend === 'postgres' && !(await postgresReachable())) {
      skipped.push(`Postgres was not reachable at ${TEST_PG_URL}: no Postgres numbers in this run.`);
      continue;
    }
    console.error(`  ${backend}…`);
    results.push(await measureBackend(backend, opts));
  }
  return `## Job claim latency and runner throughput on the Postgres-table queue (\`claim\`)

Measured ${started} on ${where}.
Reproduce: \`npm run bench -- claim\`.

The platform in-process (test/support/platform.ts: the app \`npm start\` serves, on a fresh database
with the migrations, the jobs-table queue that is used when no SQS is configured, a manual clock),
with one project, one runner pool, ${HOSTS} hosts sharing one SSH key credential and ${PARALLEL} registered
runners. The jobs are host connection tests (\`host_test\`): a claim seals the host and its key to
the runner. Every request goes through \`app.request\` (no socket) with the runner's or an admin's token.

Latency: one runner; 4 variants rotated per sample, ${opts.warmup} untimed rounds then ${opts.samples} timed
claims of each; every claimed job is completed afterwards, untimed, so no backlog builds up.
The baseline creates and dispatches a job, then calls \`POST /runner/jobs/claim\` (\`wait_seconds\`
${WAIT_SECONDS}), which finds it in the table: the pure cost of a claim. The waiting variants call the claim
first and enqueue only once it waits on the queue (a hook on the queue's \`receive\`), and are timed
from the start of the enqueue to the claim's answer: either \`createJob\` in a transaction and then
\`dispatchQueued\`, as the app does after a request, or the API's \`POST /hosts/{id}/test-connection\`.

Throughput: ${opts.jobs} jobs queued (untimed), then 1 or ${PARALLEL} runners in parallel claim
(\`wait_seconds\` 0) until none is left; per job a runner opens the sealed work order, reports 2 steps
and completes it (4 requests). jobs/s is the jobs over the round's wall time; ${opts.rounds} rounds of
each, alternating, after one untimed round of each with up to 20 jobs. No aim was set for either.

${results.map((r) => section(r, opts)).join('\n\n')}
${skipped.length ? `\n${skipped.join('\n')}\n` : ''}`;
}
