import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../functions/api/app';
import { issueAccessToken } from '../functions/api/auth/tokens';
import { buildDeps, type Deps } from '../functions/api/deps';
import { bootstrap } from '../functions/api/users/bootstrap';
import type { Clock } from '../functions/platform/clock';
import { loadConfig } from '../functions/platform/config';
import { migrateUp } from '../functions/platform/db/migrate';
import type { Database } from '../functions/platform/db/types';
import { createLogger } from '../functions/platform/logger';
import { type Backend, freshDatabase, postgresReachable } from '../test/support/databases';
import { fmt, percentile, ratio } from './stats';

/** The benches that set the app against the SQL it runs share this: both backends where Postgres is up. */
export const benchBackends = async (): Promise<Backend[]> =>
  (await postgresReachable()) ? ['postgres', 'pglite'] : ['pglite'];

const ADMIN = { username: 'bench-admin', password: 'bench password, not a secret' };

export type BenchApp = {
  database: Database;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  /** A bootstrap admin's access token, valid for the whole run. */
  token: string;
};

/**
 * The platform in-process on a fresh database with the migrations and a bootstrap admin; the
 * database and data directory are dropped when `fn` ends.
 */
export async function withBenchApp<T>(
  backend: Backend,
  opts: { name: string; clock?: Clock },
  fn: (b: BenchApp) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `k8sm-bench-${opts.name}-`));
  const testDb = await freshDatabase(backend);
  const database = testDb.database;
  try {
    const config = loadConfig({
      K8SM_DATA_DIR: dataDir,
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'info',
    });
    const deps = await buildDeps(config, {
      database,
      logger: createLogger('info', () => {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    await migrateUp(database, deps.migrations);
    await bootstrap(deps);
    const [admin] = await database.query<{ id: string }>('select id from users where username = $1', [
      ADMIN.username,
    ]);
    const app = createApp({ deps: async () => deps });
    const token = await issueAccessToken(admin!.id, deps.jwtKey, deps.clock, 24 * 3600);
    return await fn({ database, deps, app, token });
  } finally {
    await testDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The six cells every app-against-SQL table ends with: p50 and p99 of each side, then their ratios. */
export function appVsSqlCells(m: { app: number[]; raw: number[] }): string[] {
  const [a50, a99, r50, r99] = [
    percentile(m.app, 50),
    percentile(m.app, 99),
    percentile(m.raw, 50),
    percentile(m.raw, 99),
  ];
  return [fmt(a50, 2), fmt(a99, 2), fmt(r50, 2), fmt(r99, 2), ratio(a50, r50), `**${ratio(a99, r99)}**`];
}

export const APP_VS_SQL_HEADER = [
  'app p50 ms',
  'app p99 ms',
  'SQL p50 ms',
  'SQL p99 ms',
  'app ÷ SQL p50',
  'app ÷ SQL p99',
];

/** The machine's load average now, for the report's "at the end". */
export const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
