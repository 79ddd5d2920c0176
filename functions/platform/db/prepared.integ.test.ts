import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, freshDatabase, type TestDatabase } from '../../../test/support/databases';
import { encoded, placeholders, reusable } from './prepared';
import { cdWork } from './schema';

type WorkRow = typeof cdWork.$inferSelect;

const workInsert = reusable((db) => db.insert(cdWork).values(placeholders(cdWork)).prepare('t_insert'));
const workById = reusable((db) =>
  db
    .select()
    .from(cdWork)
    .where(eq(cdWork.id, sql.placeholder('id')))
    .prepare('t_select'),
);

describe.each(await backends())('statements built once, on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
    await t.database.query(`create table cd_work (id text primary key, kind text not null,
      subject_id text not null, created_at timestamptz not null, done_at timestamptz)`);
  });
  afterAll(() => t.drop());

  const row = (id: string, doneAt: Date | null): WorkRow => ({
    id,
    kind: 'build',
    subjectId: `bld_${id}`,
    createdAt: new Date('2026-12-08T01:02:03.004Z'),
    doneAt,
  });

  it('runs on the database and answers rows mapped as drizzle maps them, nulls included', async () => {
    const { db } = t.database;
    await workInsert(db, encoded(cdWork, row('a', null)));
    await workInsert(db, encoded(cdWork, row('b', new Date('2026-12-08T05:00:00Z'))));
    expect(await workById(db, { id: 'a' })).toEqual([row('a', null)]);
    expect(await workById(db, { id: 'b' })).toEqual(await db.select().from(cdWork).where(eq(cdWork.id, 'b')));
  });

  it("runs on a transaction's handle: its statements commit or roll back with it", async () => {
    const { db } = t.database;
    await expect(
      db.transaction(async (tx) => {
        await workInsert(tx, encoded(cdWork, row('gone', null)));
        expect(await workById(tx, { id: 'gone' })).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await workById(db, { id: 'gone' })).toEqual([]);
    await db.transaction((tx) => workInsert(tx, encoded(cdWork, row('kept', null))));
    expect(await workById(db, { id: 'kept' })).toHaveLength(1);
  });

  it('refuses a row missing a column rather than insert a default in its place', () => {
    const { doneAt: _, ...partial } = row('x', null);
    expect(() => encoded(cdWork, partial as WorkRow)).toThrow('doneAt');
  });
});
