import { Session } from 'node:inspector/promises';
import { fmt, table } from './stats';

type ProfileNode = { id: number; callFrame: { url: string; functionName: string } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Which bucket a sampled frame's self time belongs to: a package, our code, or the runtime. */
function bucket(frame: ProfileNode['callFrame']): string {
  const url = frame.url;
  if (url.startsWith('wasm://')) return 'PGlite wasm (Postgres itself)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/(functions|shared|bench)\//.exec(url)?.[1];
  if (own) return `our code (${own}/)`;
  if (url.startsWith('node:')) return 'Node built-ins (fetch Request/Response, crypto, streams)';
  // The inspector session itself (sending the profile back): the profiler's cost, not the app's.
  if (!url && frame.functionName === 'dispatch') return '(profiler)';
  if (!url && !frame.functionName.startsWith('('))
    return 'native built-ins (crypto jobs, JSON, TextDecoder, …)';
  return frame.functionName || 'other';
}

/**
 * Samples the CPU while `work` runs and sums self time by package. Sampling shares hold up on a
 * loaded machine better than subtracting timings measured apart.
 */
export async function cpuShares(work: () => Promise<void>): Promise<[string, number][]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const totals = new Map<string, number>();
    let all = 0;
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id);
      if (!frame) return;
      const dt = profile.timeDeltas[i] ?? 0;
      const key = bucket(frame);
      if (key === '(idle)' || key === '(profiler)') return;
      totals.set(key, (totals.get(key) ?? 0) + dt);
      all += dt;
    });
    return [...totals].map(([k, v]) => [k, v / all] as [string, number]).sort((a, b) => b[1] - a[1]);
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

/** Buckets as rows, one column per profiled variant, ordered by the first column. */
export function sharesTable(columns: { name: string; shares: [string, number][] }[], top = 10): string {
  const first = columns[0]?.shares ?? [];
  const keys = first.slice(0, top).map(([k]) => k);
  const pct = (v: number) => `${fmt(v * 100, 1)}%`;
  const rows = keys.map((k) => [k, ...columns.map((c) => pct(c.shares.find(([x]) => x === k)?.[1] ?? 0))]);
  rows.push([
    'everything else',
    ...columns.map((c) =>
      pct(c.shares.filter(([k]) => !keys.includes(k)).reduce((sum, [, v]) => sum + v, 0)),
    ),
  ]);
  return table(['where (self time)', ...columns.map((c) => c.name)], rows);
}
