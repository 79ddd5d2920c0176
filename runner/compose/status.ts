/**
 * The state of a compose project's containers, read from `docker compose ps --format json` (v2)
 * or from `docker inspect` with the adapter's own template (v1), and what it means for a release.
 */
export type ServiceState = {
  name: string;
  container: string;
  image: string;
  state: string;
  /** null: the container has no healthcheck. */
  health: string | null;
  exit_code: number | null;
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** The JSON values in a text: one array (compose before 2.21) or one object per line (since). */
function jsonValues(text: string): unknown[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as unknown);
}

const byName = (a: ServiceState, b: ServiceState) =>
  a.name.localeCompare(b.name) || a.container.localeCompare(b.container);

/** Only the named fields are taken: the rest (labels, command line) is never passed on. */
export function parsePsJson(text: string): ServiceState[] {
  return jsonValues(text)
    .map((v) => v as Record<string, unknown>)
    .map((c) => ({
      name: str(c.Service),
      container: str(c.Name),
      image: str(c.Image),
      state: str(c.State).toLowerCase(),
      health: str(c.Health) ? str(c.Health).toLowerCase() : null,
      exit_code: num(c.ExitCode),
    }))
    .sort(byName);
}

export function parseInspect(text: string): ServiceState[] {
  return jsonValues(text)
    .map((v) => v as Record<string, unknown>)
    .map((c) => ({
      name: str(c.service),
      container: str(c.name).replace(/^\//, ''),
      image: str(c.image),
      state: str(c.status),
      health: str(c.health) || null,
      exit_code: num(c.exit_code),
    }))
    .sort(byName);
}

/**
 * - `ready`: every container runs, and is healthy where it has a healthcheck;
 * - `crashed`: one exited with a non-zero code, which waiting cannot mend;
 * - `broken`: one exited, restarts, died or is unhealthy: a failure unless it recovers in time;
 * - `pending`: still being created or starting.
 */
export type Verdict = { kind: 'ready' | 'pending' } | { kind: 'broken' | 'crashed'; culprit: ServiceState };

export function assess(services: ServiceState[]): Verdict {
  if (!services.length) return { kind: 'pending' };
  const crashed = services.find((s) => (s.state === 'exited' || s.state === 'dead') && s.exit_code !== 0);
  if (crashed) return { kind: 'crashed', culprit: crashed };
  const broken = services.find(
    (s) => ['exited', 'dead', 'restarting', 'removing'].includes(s.state) || s.health === 'unhealthy',
  );
  if (broken) return { kind: 'broken', culprit: broken };
  const ready = services.every((s) => s.state === 'running' && (s.health === null || s.health === 'healthy'));
  return { kind: ready ? 'ready' : 'pending' };
}

export const describeService = (s: ServiceState) =>
  `${s.name} (${s.container}): ${s.state}${s.health ? `, ${s.health}` : ''}` +
  (s.state === 'exited' || s.state === 'dead' ? `, exit code ${s.exit_code ?? 'unknown'}` : '');
