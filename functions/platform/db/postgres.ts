import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import type { Database, Row, ScriptRunner } from './types';

type Common = {
  max?: number;
  /**
   * Reads built once with drizzle's `.prepare` (the caller lookup of every authenticated request)
   * become named statements, parsed and planned once per connection; the default. Other queries are
   * unnamed either way (postgres.js `unsafe`).
   * False through a pooling proxy (RDS Proxy): a named statement lives in one server session, which
   * the proxy would have to pin to this client; unnamed statements are parsed per execution instead.
   * Unset leaves it to the URL (`?prepare=false`), else named.
   */
  prepare?: boolean;
};

export type PostgresOptions =
  | ({ url: string } & Common)
  | ({ connection: postgres.Options<Record<string, postgres.PostgresType>> } & Common);

export function openPostgres(opts: PostgresOptions): Database {
  const common = {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    ...(opts.prepare === undefined ? {} : { prepare: opts.prepare }),
  };
  const sql = 'url' in opts ? postgres(opts.url, common) : postgres({ ...opts.connection, ...common });
  const db = drizzle(sql, { schema });
  const runner = (s: postgres.Sql | postgres.TransactionSql): ScriptRunner => ({
    exec: async (text) => {
      await s.unsafe(text).simple();
    },
    query: async <T extends Row>(text: string, params: unknown[] = []) =>
      (await s.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
  });
  return {
    kind: 'postgres',
    db: db as unknown as Database['db'],
    query: runner(sql).query,
    transaction: async <T>(fn: (tx: ScriptRunner) => Promise<T>) =>
      (await sql.begin((tx) => fn(runner(tx)))) as T,
    close: () => sql.end({ timeout: 5 }),
  };
}
