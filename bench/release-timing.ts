import type { Answer, Proc } from '../test/e2e/server-process';
import { fmt, median, table } from './stats';

type Api = (method: string, path: string, body?: unknown) => Promise<Answer>;

/** One release through the platform, timed from the bench's clock and the platform's timeline. */
export type Sample = {
  ms: number;
  /** Each step as the runner timed it, and the gaps between steps. */
  steps: Record<string, number>;
  /** The preview and apply requests, until apply answered. */
  askMs: number;
  /** From the preview request to the first step's `running` event. */
  headMs: number;
  /** From the last step's end to `job.completed`. */
  tailMs: number;
  /** From `job.completed` to the poll that read `applied`. */
  seenMs: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Preview → apply → `applied`, polled every 25 ms: the wall time a user waits. A release that ends
 * otherwise throws with its diagnostics and the runner's last output.
 */
export async function timedRelease(
  api: Api,
  runner: Proc,
  r: { service: string; target: string; variables: Record<string, string>; timeoutMs: number },
): Promise<Sample> {
  const t0 = performance.now();
  const wall0 = Date.now();
  const pv = await api('POST', '/deploy/releases/preview', {
    service_id: r.service,
    target_id: r.target,
    variables: r.variables,
  });
  const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
  const id = ap.json.release_id as string;
  const askMs = performance.now() - t0;
  let state = '';
  const deadline = Date.now() + r.timeoutMs;
  while (Date.now() < deadline) {
    state = (await api('GET', `/deploy/releases/${id}`)).json.lifecycle_state;
    if (state === 'applied' || state === 'failed') break;
    await sleep(25);
  }
  const ms = performance.now() - t0;
  if (state !== 'applied') {
    const diagnostics = (await api('GET', `/deploy/releases/${id}`)).json.diagnostics_json;
    throw new Error(
      `release ${id} ended ${state}: ${JSON.stringify(diagnostics)}\n${runner.stderr().slice(-2000)}`,
    );
  }
  const t = await stepTimes(api, id);
  return {
    ms,
    steps: t.steps,
    askMs,
    headMs: t.first - wall0,
    tailMs: t.tailMs,
    seenMs: wall0 + ms - t.completed,
  };
}

/**
 * `warmup` untimed runs of each path, then `runs` timed ones, alternating which goes first so
 * neither always follows the other's leftovers.
 */
export async function alternate<B, O>(
  opts: { runs: number; warmup: number },
  bare: () => Promise<B>,
  ours: () => Promise<O>,
): Promise<{ bareRuns: B[]; oursRuns: O[] }> {
  const bareRuns: B[] = [];
  const oursRuns: O[] = [];
  for (let i = 0; i < opts.warmup; i++) {
    await bare();
    await ours();
  }
  for (let i = 0; i < opts.runs; i++) {
    if (i % 2) {
      oursRuns.push(await ours());
      bareRuns.push(await bare());
    } else {
      bareRuns.push(await bare());
      oursRuns.push(await ours());
    }
  }
  return { bareRuns, oursRuns };
}

/**
 * The report's common part: both paths' medians and runs against the aim, then where the
 * release's time goes. Answers the two medians too, for the findings a bench words from them.
 */
export function comparison(
  bareLabel: string,
  aim: number,
  bareRuns: { ms: number }[],
  oursRuns: Sample[],
): { markdown: string; bare: number; ours: number } {
  const bare = median(bareRuns.map((s) => s.ms));
  const ours = median(oursRuns.map((s) => s.ms));
  const ratio = ours / bare;
  const runsMs = (xs: { ms: number }[]) => xs.map((s) => fmt(s.ms, 0)).join(', ');
  const markdown = `${table(
    ['path', 'median ms', 'runs ms', 'vs bare'],
    [
      [`${bareLabel} (baseline)`, fmt(bare, 0), runsMs(bareRuns), '1.00×'],
      ['preview → applied through the runner', fmt(ours, 0), runsMs(oursRuns), `${fmt(ratio, 2)}×`],
    ],
  )}

Aim: ≤ ${aim}× the bare path: **${ratio <= aim ? 'met' : 'missed'}** (${fmt(ratio, 2)}×).

Where the release's time goes (median ms; each step as the runner timed it, the rest from the
bench's clock and the platform's timeline; the three share this machine's clock):

${table(['step', 'median ms'], stepRows(oursRuns))}
`;
  return { markdown, bare, ours };
}

/** The "where the release's time goes" rows: medians over the runs, in the order they happen. */
function stepRows(runs: Sample[]): string[][] {
  const names = [...new Set(runs.flatMap((s) => Object.keys(s.steps)))];
  const med = (f: (s: Sample) => number) => fmt(median(runs.map(f)), 0);
  return [
    ['preview and apply requests (until apply answered)', med((s) => s.askMs)],
    [
      'preview request → first step started (the above, the claim, the work order opened)',
      med((s) => s.headMs),
    ],
    ...names.map((n) => [`\`${n}\``, med((s) => s.steps[n] ?? 0)]),
    ['last step finished → `job.completed` recorded', med((s) => s.tailMs)],
    ['`job.completed` → `applied` read by the poll', med((s) => s.seenMs)],
  ];
}

/**
 * Each step's duration as the runner timed it (its own `started_at`/`finished_at`), and from the
 * platform's timeline when the last step ended and when `job.completed` was recorded.
 */
export async function stepTimes(
  api: (m: string, p: string) => Promise<Answer>,
  id: string,
): Promise<{ steps: Record<string, number>; tailMs: number; first: number; completed: number }> {
  type Event = { action: string; occurred_at: string };
  type Step = { name: string; started_at: string | null; finished_at: string | null };
  let events: Event[] = [];
  // The completion's events can land a moment after the release reads applied.
  for (let i = 0; i < 40; i++) {
    events = (await api('GET', `/deploy/releases/${id}/timeline`)).json.items as Event[];
    if (events.some((e) => e.action === 'job.completed')) break;
    await sleep(50);
  }
  const rows = ((await api('GET', `/deploy/releases/${id}/steps`)).json.items as Step[]).filter(
    (r) => r.started_at && r.finished_at,
  );
  const steps: Record<string, number> = {};
  let between = 0;
  let prevEnd = 0;
  for (const r of rows.sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!))) {
    const start = Date.parse(r.started_at!);
    const end = Date.parse(r.finished_at!);
    steps[r.name.split('.').slice(0, 2).join('.')] = end - start;
    if (prevEnd) between += Math.max(0, start - prevEnd);
    prevEnd = Math.max(prevEnd, end);
  }
  steps['between steps (runner)'] = between;
  const done = events.find((e) => e.action === 'job.completed');
  const completed = done ? Date.parse(done.occurred_at) : Number.NaN;
  const first = Math.min(...rows.map((r) => Date.parse(r.started_at!)));
  return { steps, tailMs: completed - prevEnd, first, completed };
}
