import { eq, sql } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { postgresReachable, TEST_PG_URL } from '../../../test/support/databases';
import { openPostgres } from './postgres';

const namespaces = pgSchema('pg_catalog').table('pg_namespace', { nspname: text('nspname') });

/**
 * Runs a read prepared the way the hot reads are (drizzle `.prepare`, as `loadCaller` does) on one
 * connection, then lists the statements that connection's session holds server-side.
 */
async function heldAfterPreparedRead(prepare: boolean | undefined, url = TEST_PG_URL) {
  const database = openPostgres({ url, max: 1, ...(prepare === undefined ? {} : { prepare }) });
  try {
    const read = database.db
      .select({ name: namespaces.nspname })
      .from(namespaces)
      .where(eq(namespaces.nspname, sql.placeholder('name')))
      .prepare('probe_namespace');
    expect(await read.execute({ name: 'public' })).toEqual([{ name: 'public' }]);
    const rows = await database.query<{ statement: string }>(
      'select statement from pg_prepared_statements where not from_sql',
    );
    return rows.some((r) => r.statement.includes('"pg_namespace"'));
  } finally {
    await database.close();
  }
}

describe.runIf(await postgresReachable())('prepared reads on Postgres', () => {
  it('are named statements, parsed once per connection, unless told otherwise', async () => {
    expect(await heldAfterPreparedRead(undefined)).toBe(true);
    expect(await heldAfterPreparedRead(true)).toBe(true);
  });

  it('are unnamed through a pooling proxy, whether set in code or in the URL', async () => {
    expect(await heldAfterPreparedRead(false)).toBe(false);
    const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}prepare=false`;
    expect(await heldAfterPreparedRead(undefined, url)).toBe(false);
  });
});
