import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, freshDatabase, type TestDatabase } from '../../../test/support/databases';
import { loadMigrations, migrateUp } from './migrate';
import * as schema from './schema';

/** Every column the drizzle schema declares with an enum: `table.column` and its values. */
const ENUM_COLUMNS = Object.values(schema as Record<string, unknown>)
  .filter((t): t is PgTable => t instanceof PgTable)
  .flatMap((t) => {
    const { name, columns } = getTableConfig(t);
    return columns
      .filter((c) => c.enumValues?.length)
      .map((c) => [`${name}.${c.name}`, [...(c.enumValues ?? [])].sort()] as const);
  });

/** `check (status in ('a', 'b'))` reads back as `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`. */
function allowedBy(def: string, column: string): string[] | undefined {
  const m = new RegExp(`\\(${column} = ANY \\(+ARRAY\\[([^\\]]*)\\]`).exec(def);
  return m ? [...m[1]!.matchAll(/'([^']*)'/g)].map((v) => v[1]!).sort() : undefined;
}

describe.each(await backends())('database enums on %s', (backend) => {
  let db: TestDatabase;
  const checks = new Map<string, string[]>();

  beforeAll(async () => {
    db = await freshDatabase(backend);
    await migrateUp(db.database, await loadMigrations());
    const rows = await db.database.query<{ tbl: string; def: string }>(
      `select conrelid::regclass::text as tbl, pg_get_constraintdef(oid) as def
         from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace`,
    );
    for (const [key] of ENUM_COLUMNS) {
      const [table, column] = key.split('.') as [string, string];
      const found = rows.filter((r) => r.tbl === table).map((r) => allowedBy(r.def, column));
      const values = found.find((v) => v !== undefined);
      if (values) checks.set(key, values);
    }
    // PGlite runs every migration in WASM: on a busy machine that takes longer than the default.
  }, 180_000);
  afterAll(() => db?.drop());

  it('finds enum columns to compare', () => {
    expect(ENUM_COLUMNS.map(([k]) => k)).toEqual(
      expect.arrayContaining([
        'jobs.status',
        'job_steps.status',
        'install_tasks.status',
        'approval_tickets.kind',
      ]),
    );
  });

  it.each(ENUM_COLUMNS)('%s allows in SQL exactly the values of the shared enum', (key, values) => {
    expect(checks.get(key)).toEqual(values);
  });
});
