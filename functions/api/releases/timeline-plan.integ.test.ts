import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresReachable, type TestDatabase } from '../../../test/support/databases';
import { genericPlan } from '../../../test/support/plans';
import { loadMigrations, migrateUp } from '../../platform/db/migrate';
import { timelineStatement } from './repo';

/**
 * A release's timeline reads its tickets' ids inside the events statement. Written as a plain
 * `in (select …)` under the OR, Postgres can no longer look either half up in the index and scans
 * every audit event; these plans guard that, as the prepared statement runs them (generic).
 */
describe.runIf(await postgresReachable())('the timeline statement on Postgres', () => {
  let t: TestDatabase;
  const release = (n: number) => `rel_${String(n).padStart(6, '0')}`;

  beforeAll(async () => {
    t = await freshDatabase('postgres');
    await migrateUp(t.database, await loadMigrations());
    await t.database.query(`insert into projects (id, name, created_at) values ('prj_plan', 'plan', now())`);
    // 3,000 releases, each with 9 events and one ticket with 3 of its own.
    await t.database.query(
      `insert into approval_tickets (id, project_id, kind, resource_type, resource_id, status, requested_by,
         expires_at, created_at)
       select 'tkt_' || lpad(n::text, 6, '0'), 'prj_plan', 'release_apply', 'release',
              'rel_' || lpad(n::text, 6, '0'), 'used', 'usr_plan', now(), now()
       from generate_series(1, 3000) n`,
    );
    await t.database.query(
      `insert into audit_events (id, seq, action, resource_type, resource_id, project_id, source, status,
         occurred_at, detail, prev_hash, hash)
       select 'evt_' || s, s, 'step', rtype, rid, 'prj_plan', 'api', 'ok', now(), '{}', md5(s::text), md5(s::text)
       from (
         select row_number() over (order by n, k) as s,
                case when k < 9 then 'release' else 'approval_ticket' end as rtype,
                case when k < 9 then 'rel_' else 'tkt_' end || lpad(n::text, 6, '0') as rid
         from generate_series(1, 3000) n, generate_series(0, 11) k
       ) e`,
    );
    await t.database.query('analyze');
  });
  afterAll(() => t.drop());

  it('looks up the release and its tickets in the index, with and without `after`', async () => {
    for (const statement of [
      timelineStatement(t.database.db, release(1500)),
      timelineStatement(t.database.db, release(1500), 3),
    ]) {
      const plan = await genericPlan(t.database, statement);
      expect(plan).not.toContain('Seq Scan on audit_events');
      expect(plan).toMatch(/Bitmap Index Scan on audit_events_resource[\s\S]*ANY/);
    }
  });

  it('lists the release’s events and its ticket’s, in chain order', async () => {
    const { sql, params } = timelineStatement(t.database.db, release(1500));
    const rows = await t.database.query<{ resource_id: string; seq: string }>(sql, params);
    expect(rows.map((r) => r.resource_id)).toEqual([
      ...Array(9).fill(release(1500)),
      ...Array(3).fill('tkt_001500'),
    ]);
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
