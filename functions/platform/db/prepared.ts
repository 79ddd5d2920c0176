import { type Column, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import type { PgPreparedQuery, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Db } from './types';

/**
 * A statement built with drizzle's `.prepare` once per database handle (and per shape, for reads
 * whose conditions depend on which filters a request sends), then reused. Building a query costs
 * drizzle a few tenths of a millisecond, which hot reads pay on every request otherwise; on
 * Postgres outside a pooling proxy the statement is also parsed and planned once per connection
 * (through the proxy the connection sends it unnamed, docs/cloud.md).
 *
 * The shapes a read asks for must be few and fixed (a key per combination of filters, never a value).
 */
export function preparedPerDb<Q, K extends string = ''>(build: (db: Db, shape: K) => Q) {
  const kept = new WeakMap<Db, Map<K, Q>>();
  return (db: Db, shape = '' as K): Q => {
    let shapes = kept.get(db);
    if (!shapes) {
      shapes = new Map();
      kept.set(db, shapes);
    }
    let query = shapes.get(shape);
    if (!query) {
      query = build(db, shape);
      shapes.set(shape, query);
    }
    return query;
  };
}

type Prepared<T> = PgPreparedQuery<PreparedQueryConfig & { execute: T }>;

type Session = { client: unknown };
type Built<T> = Prepared<T> & { client: unknown };

/**
 * A statement whose SQL drizzle builds once per process and driver and that runs on any handle,
 * a transaction's included. Drizzle's own `.prepare` stays bound to the handle it was built on,
 * so a statement inside a transaction would be built anew each time, which on PGlite costs about
 * as much as running it. The query built on the first handle of a driver is run on another
 * handle's connection by a view of it that differs only in its client (both drivers' prepared
 * queries send through `this.client`). Values are `sql.placeholder`s, filled per call.
 */
export function reusable<T>(build: (db: Db) => Prepared<T>) {
  const byDriver = new Map<unknown, Built<T>>();
  return (db: Db, values: Record<string, unknown> = {}): Promise<T> => {
    const session = (db as unknown as { session: Session }).session;
    let built = byDriver.get(session.constructor);
    if (!built) {
      built = build(db) as Built<T>;
      byDriver.set(session.constructor, built);
    }
    const query: Built<T> =
      built.client === session.client ? built : Object.create(built, { client: { value: session.client } });
    return query.execute(values);
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
