import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema';
import type { Database, Row, ScriptRunner } from './types';

/** dataDir undefined = in memory (tests). PGlite has one connection: callers serialise on it. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const db = drizzle(pg, { schema });
  type Q = Pick<PGlite, 'exec' | 'query'>;
  const runner = (q: Q): ScriptRunner => ({
    exec: async (text) => {
      await q.exec(text);
    },
    query: async <T extends Row>(text: string, params: unknown[] = []) =>
      (await q.query<T>(text, params)).rows,
  });
  return {
    kind: 'pglite',
    db: db as unknown as Database['db'],
    query: runner(pg).query,
    transaction: <T>(fn: (tx: ScriptRunner) => Promise<T>) => pg.transaction((tx) => fn(runner(tx))),
    close: () => pg.close(),
  };
}
