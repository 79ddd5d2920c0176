import type { Database } from '../../functions/platform/db/types';

/**
 * The plan Postgres runs a prepared statement with once it settles on a generic plan (after its
 * first executions, when the generic one looks no dearer): bound values are then only averages.
 */
export async function genericPlan(database: Database, statement: { sql: string; params: unknown[] }) {
  const literal = (v: unknown) => `'${String(v).replaceAll("'", "''")}'`;
  const rows = await database.transaction(async (tx) => {
    await tx.query('set local plan_cache_mode = force_generic_plan');
    await tx.query(`prepare plan_probe as ${statement.sql}`);
    const plan = await tx.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off) execute plan_probe(${statement.params.map(literal).join(', ')})`,
    );
    // A prepared statement outlives the transaction; the next plan reuses the name.
    await tx.query('deallocate plan_probe');
    return plan;
  });
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
