import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresReachable, type TestDatabase } from '../../../test/support/databases';
import { genericPlan } from '../../../test/support/plans';
import { loadMigrations, migrateUp } from '../../platform/db/migrate';
import { inboxStatement } from './repo';

/**
 * The inbox is a prepared statement: on Postgres a named statement may run with a generic plan,
 * which sees bound values only as averages. These plans are read the way such a statement runs
 * after its first executions (plan_cache_mode = force_generic_plan) over tickets that are mostly
 * decided, as they are in any inbox that has been in use for a while.
 */
describe.runIf(await postgresReachable())('the inbox statement under a generic plan on Postgres', () => {
  let t: TestDatabase;
  const q = { projects: 'all' as const, userId: 'usr_reader', limit: 51 };

  const genericPlanOf = (read: Parameters<typeof inboxStatement>[1]) =>
    genericPlan(t.database, inboxStatement(t.database.db, read));

  beforeAll(async () => {
    t = await freshDatabase('postgres');
    await migrateUp(t.database, await loadMigrations());
    await t.database.query(`insert into projects (id, name, created_at) values ('prj_plan', 'plan', now())`);
    // 20,000 decided tickets and the 20 newest of every 1,000 still pending.
    await t.database.query(
      `insert into approval_tickets (id, project_id, kind, resource_type, resource_id, status, risk_level,
         requested_by, expires_at, created_at)
       select 'tkt_' || lpad(n::text, 8, '0'), 'prj_plan', 'install', 'install_task', 'ins_' || n,
              case when n % 1000 >= 980 then 'pending' else 'approved' end, 'low', 'usr_requester',
              now() + interval '1 day', now()
       from generate_series(1, 20000) n`,
    );
    await t.database.query('analyze approval_tickets');
  });
  afterAll(() => t.drop());

  it('reads pending tickets through the (status, id) index, not by walking every ticket', async () => {
    for (const read of [
      { ...q, status: 'pending' as const },
      { ...q, awaiting_my_decision: 'true' as const },
    ]) {
      const plan = await genericPlanOf(read);
      expect(plan).toContain('approval_tickets_inbox');
      expect(plan).not.toMatch(/Rows Removed by Filter: \d{3,}/);
    }
  });

  it('answers the pending page the same as the plain query', async () => {
    const { sql, params } = inboxStatement(t.database.db, { ...q, status: 'pending' });
    const rows = await t.database.query<{ id: string }>(sql, params);
    const plain = await t.database.query<{ id: string }>(
      `select id from approval_tickets where status = 'pending' order by id desc limit 51`,
    );
    expect(rows.map((r) => r.id)).toEqual(plain.map((r) => r.id));
  });
});
