import { loadConfig } from '../platform/config';

/**
 * Run once per deploy (a CDK trigger, before the API and sweeps are updated), and by hand for a
 * rollback: `{"direction":"down","steps":N}`. Throws on failure, which fails the deploy.
 */
export type MigrateEvent = { direction?: 'up' | 'down'; steps?: number | 'all' };

/** `migrationsDir`: where the bundle keeps its SQL files (beside the handler), or the repo's in tests. */
export const migrateHandler =
  (migrationsDir: string, env: Record<string, string | undefined> = process.env) =>
  async (event: MigrateEvent = {}) => {
    const [{ openDatabase }, { loadMigrations, migrateUp, migrateDown, appliedVersions }] = await Promise.all(
      [import('../platform/db/open'), import('../platform/db/migrate')],
    );
    const database = await openDatabase(loadConfig(env));
    try {
      const migrations = await loadMigrations(migrationsDir);
      if (event.direction === 'down') {
        const steps = event.steps === 'all' ? (await appliedVersions(database)).length : (event.steps ?? 1);
        return { reverted: await migrateDown(database, migrations, steps) };
      }
      return { applied: await migrateUp(database, migrations) };
    } finally {
      await database.close();
    }
  };

export const handler = migrateHandler(new URL('./migrations', import.meta.url).pathname);
