import { type Column, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import type { PgPreparedQuery, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Db } from './types';

type Prepared<T> = PgPreparedQuery<PreparedQueryConfig & { execute: T }>;

/** What both drivers' prepared queries keep beside the SQL: how to map the rows they answer. */
type Mapping = {
  fields?: unknown;
  customResultMapper?: unknown;
  joinsNotNullableMap?: unknown;
  isResponseInArrayMode(): boolean;
};

type Session = {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: unknown,
  ): Prepared<unknown> & { joinsNotNullableMap?: unknown };
};

/**
 * A statement whose SQL drizzle builds once per process and that runs on any handle, a
 * transaction's included. Drizzle's own `.prepare` stays bound to the handle it was built on, so
 * a statement inside a transaction would be built anew each time, which on PGlite costs about as
 * much as running it. Values are `sql.placeholder`s, filled (and encoded by their column) per call.
 * The statement stays unnamed, as an unprepared drizzle query is.
 */
export function reusable<T>(build: (db: Db) => Prepared<T>) {
  let built: { query: { sql: string; params: unknown[] }; mapping: Mapping } | undefined;
  return (db: Db, values: Record<string, unknown> = {}): Promise<T> => {
    if (!built) {
      const q = build(db) as Prepared<T> & Mapping;
      built = { query: q.getQuery(), mapping: q };
    }
    const { query, mapping } = built;
    const session = (db as unknown as { session: Session }).session;
    const q = session.prepareQuery(
      query,
      mapping.fields,
      undefined,
      mapping.isResponseInArrayMode(),
      mapping.customResultMapper,
    );
    q.joinsNotNullableMap = mapping.joinsNotNullableMap;
    return q.execute(values) as Promise<T>;
  };
}

const columnsOf = new WeakMap<Table, [string, Column][]>();
const columns = (table: Table) => {
  const list = columnsOf.get(table) ?? Object.entries(getTableColumns(table));
  columnsOf.set(table, list);
  return list;
};

/**
 * Values for an insert's `.values(...)`: a placeholder per column of the table, named by its key,
 * filled by `encoded(table, row)`. Drizzle would encode a column's placeholder even when its value
 * is null (a null date fails), so the values go in as they are and `encoded` does what drizzle
 * does with a literal row: null stays null, anything else through its column.
 */
export function placeholders<T extends Table>(table: T): Record<keyof T['_']['columns'], SQL> {
  return Object.fromEntries(columns(table).map(([k]) => [k, sql`${sql.placeholder(k)}`])) as Record<
    keyof T['_']['columns'],
    SQL
  >;
}

/** A whole row for `placeholders(table)`: every column must have a value, null included. */
export function encoded<T extends Table>(table: T, row: T['$inferSelect']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, column] of columns(table)) {
    const v = (row as Record<string, unknown>)[k];
    if (v === undefined) throw new Error(`no value for column ${k}`);
    out[k] = v === null ? null : column.mapToDriverValue(v);
  }
  return out;
}
