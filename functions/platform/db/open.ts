import type { Config } from '../config';
import type { Database } from './types';

/**
 * Opens the configured database. Drivers are imported here, on first use, so the Lambda bundle
 * neither loads PGlite nor connects at import time.
 */
export async function openDatabase(config: Config): Promise<Database> {
  const d = config.database;
  if (d.kind === 'pglite') {
    const { openPglite } = await import('./pglite');
    return openPglite(d.dataDir);
  }
  const { openPostgres } = await import('./postgres');
  if (d.kind === 'postgres') return openPostgres({ url: d.url });
  const { readDatabaseSecret } = await import('../secrets/database-secret');
  const secret = await readDatabaseSecret(d.secretArn, config.aws);
  return openPostgres({
    max: 2,
    // K8SM_DATABASE_HOST is the RDS Proxy: named statements would pin each client to one session.
    prepare: d.hostOverride === undefined,
    connection: {
      host: d.hostOverride ?? secret.host,
      port: secret.port,
      database: secret.dbname,
      username: secret.username,
      password: secret.password,
      ssl: 'require',
    },
  });
}
