import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './pglite';
import type { Database, Row } from './types';

type Rows = { rows: Row[] };

/** Every type whose parsing the database handle changes, with arrays and nulls. */
const TYPED = `select '2026-12-08 01:02:03.456789+00'::timestamptz as tz,
  '2026-12-08 01:02:03.456789'::timestamp as ts, '2026-12-08'::date as d, '1 day 02:03:04'::interval as i,
  array['2026-12-08 01:02:03+00'::timestamptz, null] as tzs, array['2026-12-08 01:02:03'::timestamp] as tss,
  array['2026-12-08'::date] as ds, array['1 hour'::interval] as iv, array[1.5, 2]::numeric[] as ns,
  null::timestamptz as none, 42::int as n, array['a', 'b'] as texts, '{"a": 1}'::jsonb as j`;

describe('the PGlite handle', () => {
  let database: Database;
  let plain: PGlite;
  beforeAll(async () => {
    database = await openPglite(undefined);
    plain = await PGlite.create();
  });
  afterAll(async () => {
    await database.close();
    await plain.close();
  });

  it('answers the raw runner as PGlite itself does: dates as Date, arrays parsed', async () => {
    const expected = (await plain.query(TYPED)).rows;
    expect(await database.query(TYPED)).toEqual(expected);
    expect(await database.transaction((tx) => tx.query(TYPED))).toEqual(expected);
    const [row] = await database.query<{ tz: Date; tzs: Date[] }>(TYPED);
    expect(row?.tz).toBeInstanceOf(Date);
    expect(row?.tzs[0]).toBeInstanceOf(Date);
  });

  it('answers drizzle as drizzle over PGlite does: the types it parses itself arrive as text', async () => {
    const expected = await drizzle(plain).execute(sql.raw(TYPED));
    const got = (await database.db.execute(sql.raw(TYPED))) as unknown as Rows;
    expect(got.rows).toEqual(expected.rows);
    expect(got.rows[0]).toMatchObject({ tz: '2026-12-08 01:02:03.456789+00', d: '2026-12-08' });
    const inTx = (await database.db.transaction((tx) => tx.execute(sql.raw(TYPED)))) as unknown as Rows;
    expect(inTx.rows).toEqual(expected.rows);
  });
});
