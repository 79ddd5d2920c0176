import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../functions/api/app';
import { buildDeps } from '../functions/api/deps';
import { bootstrap } from '../functions/api/users/bootstrap';
import { createUser } from '../functions/api/users/service';
import { manualClock } from '../functions/platform/clock';
import { loadConfig } from '../functions/platform/config';
import { migrateUp } from '../functions/platform/db/migrate';
import { openPglite } from '../functions/platform/db/pglite';
import { createLogger } from '../functions/platform/logger';
import { interleave } from './interleave';
import { machine } from './machine';
import { fmt, median, percentile, table } from './stats';

export type LoginOptions = { batches: number; batchSize: number; warmup: number };

const ADMIN = { username: 'bench-admin', password: 'bench password, not a secret' };
const KNOWN = { username: 'bench-known', password: 'bench known password, not a secret' };

/**
 * What a guesser compares: a wrong password for a user who exists against any password for one who
 * does not. Both must cost the same scrypt, so the medians agree within noise (0.8–1.25×).
 */
export async function loginTiming(opts: LoginOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-login-'));
  const database = await openPglite(undefined);
  try {
    const config = loadConfig({
      K8SM_DATA_DIR: dataDir,
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'info',
    });
    const clock = manualClock(new Date());
    const deps = await buildDeps(config, { database, clock, logger: createLogger('info', () => {}) });
    await migrateUp(database, deps.migrations);
    await bootstrap(deps);
    const actor = { userId: 'bench', source: 'system' as const, username: 'bench' };
    await createUser(KNOWN, { db: database.db, clock, actor });
    const app = createApp({ deps: async () => deps });

    let n = 0;
    const attempt = async (username: string) => {
      // A fresh throttle window for every attempt: the bench measures the check, not the 429.
      clock.advance(61_000);
      const res = await app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: `wrong-${++n}` }),
      });
      await res.text();
      if (res.status !== 401) throw new Error(`login as ${username} answered ${res.status}`);
    };
    const tasks = [
      { name: 'known user, wrong password', user: () => KNOWN.username },
      { name: 'unknown user', user: () => `nobody-${n}` },
    ].map((t) => ({
      name: t.name,
      run: async (count: number) => {
        for (let i = 0; i < count; i++) await attempt(t.user());
      },
    }));
    const times = await interleave(tasks, opts);
    const known = times.get(tasks[0]!.name)!;
    const unknown = times.get(tasks[1]!.name)!;
    const ms = (us: number) => fmt(us / 1000);
    const rows = [...times].map(([name, s]) => [
      name,
      ms(median(s)),
      ms(percentile(s, 90)),
      String(s.length),
    ]);
    const ratio = median(unknown) / median(known);
    return [
      '## login',
      '',
      `Run ${started} on ${where}. Command: \`npm run bench -- login\`.`,
      `${opts.batches} alternating batches of ${opts.batchSize} failed logins each (after ${opts.warmup} warm-up), PGlite, in-process app; per-attempt times, ms.`,
      '',
      table(['attempt', 'median', 'p90', 'batches'], rows),
      '',
      `Unknown / known median: **${ratio.toFixed(2)}×** (must stay within 0.8–1.25×: both run one scrypt, N=2^15 r=8 p=1).`,
    ].join('\n');
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
