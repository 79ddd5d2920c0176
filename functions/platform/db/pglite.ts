import { PGlite, type QueryOptions, type Results, types } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema';
import type { Database, Row, ScriptRunner } from './types';

/**
 * The types drizzle asks PGlite to hand over as text (it parses them itself), each with the
 * element type of the arrays among them. Drizzle names them in every query's options, and PGlite
 * answers options with parsers by copying its whole parser table (over 300 entries, a third of a
 * millisecond) on every statement. Set once on the instance instead, they cost nothing per query.
 */
const DRIZZLE_TEXT_TYPES: Record<number, number | null> = {
  [types.TIMESTAMP]: null,
  [types.TIMESTAMPTZ]: null,
  [types.INTERVAL]: null,
  [types.DATE]: null,
  1231: types.NUMERIC,
  1115: types.TIMESTAMP,
  1185: types.TIMESTAMPTZ,
  1187: types.INTERVAL,
  1182: types.DATE,
};
const asText = (value: string) => value;

type Q = Pick<PGlite, 'exec' | 'query'>;
type Parser = types.Parser;

/**
 * Drizzle's options without the parsers the instance already applies; options naming any other
 * parser are passed on as they are, so a drizzle that wants more still gets it.
 */
function withoutInstalledParsers(options: QueryOptions | undefined): QueryOptions | undefined {
  const parsers = options?.parsers;
  if (!parsers) return options;
  for (const key of Object.keys(parsers)) if (!(Number(key) in DRIZZLE_TEXT_TYPES)) return options;
  const { parsers: _installed, ...rest } = options;
  return rest;
}

/** What drizzle gets as its client: the instance and its transactions, minus the parser copy. */
function drizzleClient(pg: PGlite): PGlite {
  const wrap = (c: Q) => ({
    query: <T>(text: string, params?: unknown[], options?: QueryOptions) =>
      c.query<T>(text, params, withoutInstalledParsers(options)),
    exec: (text: string, options?: QueryOptions) => c.exec(text, options),
  });
  return {
    ...wrap(pg),
    transaction: <T>(fn: (tx: Q) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
  } as unknown as PGlite;
}

/**
 * PGlite's own parsers of the types drizzle takes as text, for the raw runner. An array parser
 * looks its element's parser up when it runs, so it is rebuilt on the element's own one.
 */
function ownParsers(parsers: Record<number, Parser>): Map<number, Parser> {
  const own = new Map<number, Parser>();
  for (const [id, element] of Object.entries(DRIZZLE_TEXT_TYPES))
    if (element === null) own.set(Number(id), parsers[Number(id)] ?? asText);
  for (const [id, element] of Object.entries(DRIZZLE_TEXT_TYPES)) {
    if (element === null) continue;
    const parseElement = own.get(element) ?? parsers[element] ?? asText;
    own.set(Number(id), (v) => types.arrayParser(v, parseElement, Number(id)));
  }
  return own;
}

/** dataDir undefined = in memory (tests). PGlite has one connection: callers serialise on it. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const parsers = (pg as unknown as { parsers: Record<number, Parser> }).parsers;
  // The raw runner keeps PGlite's own parsing of these types: dates come back as Date, as before.
  const own = ownParsers(parsers);
  for (const id of own.keys()) parsers[id] = asText;

  const reparse = <T extends Row>(result: Results<T>): T[] => {
    const fields = result.fields.filter((f) => own.has(f.dataTypeID));
    if (fields.length === 0) return result.rows;
    for (const row of result.rows as Record<string, unknown>[])
      for (const f of fields) {
        const v = row[f.name];
        if (typeof v === 'string') row[f.name] = own.get(f.dataTypeID)!(v, f.dataTypeID);
      }
    return result.rows;
  };

  const db = drizzle(drizzleClient(pg), { schema });
  const runner = (q: Q): ScriptRunner => ({
    exec: async (text) => {
      await q.exec(text);
    },
    query: async <T extends Row>(text: string, params: unknown[] = []) =>
      reparse(await q.query<T>(text, params)),
  });
  return {
    kind: 'pglite',
    db: db as unknown as Database['db'],
    query: runner(pg).query,
    transaction: <T>(fn: (tx: ScriptRunner) => Promise<T>) => pg.transaction((tx) => fn(runner(tx))),
    close: () => pg.close(),
  };
}
