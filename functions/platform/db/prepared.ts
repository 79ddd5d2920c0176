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
