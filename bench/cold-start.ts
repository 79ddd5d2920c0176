import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build, bundleOptions, ENTRY_BUDGET_BYTES, kib, measure } from '../script-tools/build';
import { coldFindings } from './cold-findings';
import { machine } from './machine';
import { fmt, median, percentile, ratio, table } from './stats';

const HERE = import.meta.dirname;
const INVOKER = join(HERE, 'lambda-invoke.mjs');
/** Bounds every spawn: a hung child fails the bench instead of stalling it. */
const SPAWN_TIMEOUT_MS = 20_000;
/** Issue 20: a cold start within 1.25× the bare Hono bundle's. */
const TARGET_RATIO = 1.25;
const RESULT_LINE = /(^|\n)\{"results":.*\n/;

export type ColdStartOptions = { runs: number; warmup: number };

type Variant = { name: string; argv: string[]; invoker: boolean };
/** ms since the child's own process start, as lambda-invoke.mjs reports them. */
type Phases = { started: number; imported: number; answered: number };
type Sample = { wall: number; phases?: Phases };

/**
 * Wall time from spawn to the moment the child has printed its result line: process start, module
 * loading, app construction and the first request, as a Lambda init plus first invoke.
 */
function timeOnce(v: Variant, cwd: string): Promise<Sample> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, v.argv, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: SPAWN_TIMEOUT_MS,
    });
    let out = '';
    let err = '';
    let wall: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (wall === undefined && RESULT_LINE.test(out)) wall = performance.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`${v.name} exited ${code}: ${err.trim()}`));
      if (!v.invoker) return done({ wall: performance.now() - started });
      const last = out.trim().split('\n').at(-1) ?? '';
      const { results, timing } = JSON.parse(last) as {
        results: { statusCode: number; body: string }[];
        timing: Phases;
      };
      if (wall === undefined || results[0]?.statusCode !== 200 || results[0].body !== '{"status":"ok"}')
        return fail(new Error(`${v.name} answered ${last}`));
      done({ wall, phases: timing });
    });
  });
}

async function probe(work: string, name: string) {
  const outdir = join(work, name);
  const result = await esbuild(bundleOptions(join(HERE, 'probes', `${name}.ts`), outdir));
  return measure(result.metafile!, outdir);
}

/**
 * `K8SM_BENCH_COLD_COMPARE=<label>=<api.mjs>` adds another build of the API (an earlier commit's
 * `npm run build`, say) as one more interleaved variant, so "did this change make cold start
 * slower" is answered in one run on one machine rather than across days.
 */
function compareVariant(): { label: string; entry: string } | undefined {
  const raw = process.env.K8SM_BENCH_COLD_COMPARE;
  const at = raw?.indexOf('=') ?? -1;
  if (!raw || at <= 0) return undefined;
  return { label: raw.slice(0, at), entry: raw.slice(at + 1) };
}

export async function coldStart(opts: ColdStartOptions): Promise<string> {
  const compare = compareVariant();
  const where = machine();
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-cold-'));
  try {
    const api = await build({ outdir: join(work, 'api') });
    const bare = await probe(work, 'bare-hono');
    // Not baselines: they say how much of the API's import is its libraries rather than its routes.
    const probes = [
      { name: 'probe: zod-openapi, one route', report: await probe(work, 'zod-openapi-hello') },
      { name: 'probe: yaml package alone', pkg: 'yaml', report: await probe(work, 'yaml-only') },
      { name: 'probe: ssh2 package alone', pkg: 'ssh2', report: await probe(work, 'ssh2-only') },
    ];
    const floorScript = join(work, 'floor.mjs');
    writeFileSync(floorScript, '');
    const cwd = join(work, 'cwd');
    mkdirSync(cwd);

    const variants: Variant[] = [
      { name: 'node, empty script (floor)', argv: [floorScript], invoker: false },
      { name: 'bare Hono (baseline)', argv: [INVOKER, bare.entryFile], invoker: true },
      { name: 'k8s-manage API', argv: [INVOKER, api.entryFile], invoker: true },
      ...probes.map((p) => ({ name: p.name, argv: [INVOKER, p.report.entryFile], invoker: true })),
      ...(compare
        ? [{ name: `k8s-manage API at ${compare.label}`, argv: [INVOKER, compare.entry], invoker: true }]
        : []),
    ];
    const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      // Rotate the order so that no variant always runs right after the same neighbour.
      for (let j = 0; j < variants.length; j++) {
        const v = variants[(i + j) % variants.length]!;
        const s = await timeOnce(v, cwd);
        if (i >= opts.warmup) samples.get(v.name)!.push(s);
      }
    }

    const walls = (v: Variant) => samples.get(v.name)!.map((s) => s.wall);
    const [floorV, baseV, appV] = variants as [Variant, Variant, Variant, ...Variant[]];
    const base = { median: median(walls(baseV)), p90: percentile(walls(baseV), 90) };
    const rows = variants.map((v) => {
      const w = walls(v);
      const [m, p90] = [median(w), percentile(w, 90)];
      return [v.name, fmt(m), fmt(p90), fmt(Math.min(...w)), ratio(m, base.median), ratio(p90, base.p90)];
    });
    const phaseMs = (v: Variant, f: (p: Phases) => number) =>
      median(samples.get(v.name)!.map((s) => f(s.phases!)));
    const phase = (v: Variant, f: (p: Phases) => number) => fmt(phaseMs(v, f));
    const importMs = (v: Variant) => phaseMs(v, (p) => p.imported - p.started);
    const importOf = (name: string) => importMs(variants.find((v) => v.name === name)!);
    const phaseRows = variants
      .slice(1)
      .map((v) => [
        v.name,
        phase(v, (p) => p.started),
        phase(v, (p) => p.imported - p.started),
        phase(v, (p) => p.answered - p.imported),
      ]);
    const sizes = [
      ['bare Hono (baseline)', kib(bare.entryBytes), kib(bare.staticBytes), kib(bare.reachableBytes)],
      ['k8s-manage API', kib(api.entryBytes), kib(api.staticBytes), kib(api.reachableBytes)],
      ...probes.map((p) => [p.name, kib(p.report.entryBytes), kib(p.report.staticBytes), '—']),
    ];
    const appMedian = median(walls(appV));
    const floorMedian = median(walls(floorV));
    const verdict = appMedian / base.median <= TARGET_RATIO ? 'meets' : 'misses';
    return `## Cold start of the Lambda bundle (\`cold-start\`)

Measured ${startedAt} on ${where}.
Reproduce: \`npm run bench -- cold-start\`.

Wall time from \`spawn\` of \`node bench/lambda-invoke.mjs <bundle>\` (an empty environment but PATH)
to its printed result for \`GET /api/v1/health\` (API Gateway HTTP API v2 event): Node start, module
load, app construction, first request. ${opts.runs} runs per variant after ${opts.warmup} warm-up rounds, interleaved.
Every bundle is built with the API's esbuild options (\`script-tools/build.ts\`). The first row is a
Node process that loads nothing: the floor no Node Lambda goes below. The probes are not baselines:
they show what some of the API's libraries cost on their own.

${table(['variant', 'median ms', 'p90 ms', 'min ms', 'median vs baseline', 'p90 vs baseline'], rows)}

Target ≤ ${TARGET_RATIO}× the baseline median: **${verdict}** (${fmt(appMedian / base.median, 3)}×). Above the floor:
API ${fmt(appMedian - floorMedian)} ms, baseline ${fmt(base.median - floorMedian)} ms.

Where the time goes inside the child (medians, ms; from the invoker's own \`performance.now()\`):

${table(['variant', 'Node bootstrap', 'import of the bundle', 'first request'], phaseRows)}

${coldFindings({
  apiMs: importMs(appV),
  bareMs: importMs(baseV),
  helloMs: importOf(probes[0]!.name),
  aloneMs: Object.fromEntries(probes.flatMap((p) => (p.pkg ? [[p.pkg, importOf(p.name)]] : []))),
  helloBytes: probes[0]!.report.staticBytes,
  api,
})}

Bundle sizes (budget for what loads at import: ${kib(ENTRY_BUDGET_BYTES)}):

${table(['bundle', 'entry file', 'loaded at import', 'reachable incl. lazy chunks'], sizes)}
`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
