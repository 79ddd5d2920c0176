import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

/** Drizzle over either driver; a transaction handle has the same type, so repos take either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Row = Record<string, unknown>;

/** The driver-level operations the migrator and a few raw paths need. */
export type ScriptRunner = {
  /** Runs a script of several statements (simple protocol). */
  exec(sql: string): Promise<void>;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
};

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn inside one transaction on the raw driver (migrations: script + ledger row together). */
  transaction<T>(fn: (tx: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};
