import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../functions/api/app';
import { issueAccessToken } from '../functions/api/auth/tokens';
import { buildDeps, type Deps } from '../functions/api/deps';
import { bootstrap } from '../functions/api/users/bootstrap';
import { loadConfig } from '../functions/platform/config';
import { migrateUp } from '../functions/platform/db/migrate';
import { openPglite } from '../functions/platform/db/pglite';
import { createLogger } from '../functions/platform/logger';
import { cpuShares, sharesTable } from './cpu-profile';
import { interleave } from './interleave';
import { machine } from './machine';
import { bareMeApp } from './me-baseline';
import { findings, partsTable, profileParts } from './me-profile';
import { OTHER_USERS, PROJECTS, seed } from './me-seed';
import { callerSql } from './me-sql';
import { countStatements } from './statement-count';
import { fmt, median, percentile, ratio, table } from './stats';

export type MeOptions = { batches: number; batchSize: number; warmup: number };

/** Issue 20: /me within 0.6x of a bare route sending the same statement. */
const TARGET_RATIO = 0.6;
const ADMIN = { username: 'bench-admin', password: 'bench password, not a secret' };

type Fetch = (path: string, init?: RequestInit) => Response | Promise<Response>;

/** JSON with object keys and array items sorted, to compare answers whose lists differ in order. */
function canonical(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, norm(x)]),
      );
    return v;
  };
  return JSON.stringify(norm(value));
}

async function drive(fetch: Fetch, path: string, headers: Record<string, string>, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(path, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body}`);
  }
}

/**
 * `K8SM_BENCH_ME_COMPARE=<label>=<functions/api/app.ts of an earlier checkout>` adds that
 * checkout's app, given the same dependencies, as one more interleaved variant: "did /me get
 * slower" answered in one run. Its Deps type must match this one's.
 */
async function compareVariant(deps: Deps, auth: Record<string, string>) {
  const raw = process.env.K8SM_BENCH_ME_COMPARE;
  const at = raw?.indexOf('=') ?? -1;
  if (!raw || at <= 0) return undefined;
  const { createApp: earlierApp } = (await import(
    raw.slice(at + 1)
  )) as typeof import('../functions/api/app');
  const app = earlierApp({ deps: async () => deps });
  return {
    name: `k8s-manage \`GET /api/v1/me\` at ${raw.slice(0, at)}`,
    fetch: ((p, i) => app.request(p, i)) as Fetch,
    path: '/api/v1/me',
    headers: auth,
  };
}

export async function meThroughput(opts: MeOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-me-'));
  const database = await openPglite(undefined);
  try {
    const config = loadConfig({
      K8SM_DATA_DIR: dataDir,
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'info',
    });
    // The production logger at its production level; only the write to stdout is left out.
    const deps = await buildDeps(config, { database, logger: createLogger('info', () => {}) });
    await migrateUp(database, deps.migrations);
    await bootstrap(deps);
    const callerId = await seed(database.db, deps.clock.now());
    const app = createApp({ deps: async () => deps });

    // Issued exactly as login issues it; login itself (a password hash) is not what is measured.
    const token = await issueAccessToken(callerId, deps.jwtKey, deps.clock, 3600);
    const auth = { authorization: `Bearer ${token}` };
    const bare = bareMeApp(database.db, callerId);

    const variants: { name: string; fetch: Fetch; path: string; headers: Record<string, string> }[] = [
      {
        name: 'bare Hono + same SQL (baseline)',
        fetch: (p, i) => bare.request(p, i),
        path: '/me',
        headers: {},
      },
      {
        name: 'k8s-manage `GET /api/v1/me`',
        fetch: (p, i) => app.request(p, i),
        path: '/api/v1/me',
        headers: auth,
      },
    ];
    // The same answer from both (up to the order of lists), so the comparison is like for like.
    const answers = await Promise.all(
      variants.map(async (v) => canonical(await (await v.fetch(v.path, { headers: v.headers })).json())),
    );
    if (answers[0] !== answers[1]) throw new Error(`the variants answer differently:\n${answers.join('\n')}`);

    const earlier = await compareVariant(deps, auth);
    const timed = earlier ? [...variants, earlier] : variants;
    const timings = await interleave(
      timed.map((v) => ({ name: v.name, run: (n: number) => drive(v.fetch, v.path, v.headers, n) })),
      opts,
    );
    const usOf = (name: string) => median(timings.get(name)!);
    const baseUs = usOf(variants[0]!.name);
    const mineUs = usOf(variants[1]!.name);
    const rows = timed.map((v) => {
      const s = timings.get(v.name)!;
      const us = median(s);
      const spread = `${fmt(1e6 / percentile(s, 90), 0)}–${fmt(1e6 / percentile(s, 10), 0)}`;
      return [v.name, fmt(1e6 / us, 0), spread, fmt(us, 0), ratio(baseUs, us)];
    });

    const parts = await profileParts(deps, app, token, callerId, opts);
    const perRequest = async (v: (typeof variants)[number]) =>
      (await countStatements(() => drive(v.fetch, v.path, v.headers, 10))) / 10;
    const counts = {
      baseStatements: await perRequest(variants[0]!),
      appStatements: await perRequest(variants[1]!),
    };
    const sampled = opts.batches * opts.batchSize;
    const shares = [];
    for (const v of [...variants].reverse())
      shares.push({
        name: v.name,
        shares: await cpuShares(() => drive(v.fetch, v.path, v.headers, sampled)),
      });
    const sql = callerSql(database.db, callerId);
    // Batches ran in alternation, so batch i of each variant saw about the same machine.
    const appBatches = timings.get(variants[1]!.name)!;
    const pairRatios = timings.get(variants[0]!.name)!.map((b, i) => b / appBatches[i]!);
    const verdict = baseUs / mineUs >= TARGET_RATIO ? 'meets' : 'misses';
    return `## Authenticated \`GET /api/v1/me\` throughput in-process (\`me\`)

Measured ${started} on ${where}.
Reproduce: \`npm run bench -- me\`.

In-memory PGlite with the migrations applied, the built-in roles, ${OTHER_USERS} other users with one
binding each and ${PROJECTS} projects. The caller is deployer in 3 projects and viewer everywhere
(4 bindings). Requests go through \`app.request\` (no sockets), one at a time: ${opts.warmup} warm-up
requests per variant, then ${opts.batches} alternating batches of ${opts.batchSize} per variant (${opts.batches * opts.batchSize} requests each);
req/s comes from the median batch, the spread is the p10–p90 of the batches. The baseline is a
bare Hono route that sends the statement /me sends (the caller's row left-joined to their
bindings and roles, as drizzle prints it) to the same PGlite through the raw driver, and builds
the answer by hand: no authentication, validation or middleware. Logging is on at \`info\` with a
sink that drops the line. Both answers are checked to be the same before timing. The statement:

\`\`\`sql
${sql.sql};
\`\`\`

${table(['variant', 'req/s (median batch)', 'req/s p10–p90', 'µs/request', 'vs baseline'], rows)}

Target ≥ ${TARGET_RATIO}× the baseline: **${verdict}** (${fmt(baseUs / mineUs, 3)}×; the ratio of each batch to the baseline batch run
next to it spans ${fmt(percentile(pairRatios, 10), 2)}–${fmt(percentile(pairRatios, 90), 2)}× from p10 to p90).

Where a /me request's time goes: each part timed alone, in the same process after the runs above,
with the same alternating batches (median µs per call):

${partsTable(parts, mineUs)}

CPU samples (V8 profiler, 100 µs interval) over ${opts.batches * opts.batchSize} more requests of each variant, self
time by package:

${sharesTable(shares)}

${findings(parts, counts, mineUs, baseUs)}
`;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
