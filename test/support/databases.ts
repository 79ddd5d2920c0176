import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite } from '../../functions/platform/db/pglite';
import { openPostgres } from '../../functions/platform/db/postgres';
import type { Database } from '../../functions/platform/db/types';

export type Backend = 'pglite' | 'postgres';

/** The server that hosts throwaway test databases. CI starts it (.ci/run); trust auth on loopback. */
export const TEST_PG_URL = process.env.K8SM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const sql = postgres(TEST_PG_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return reachable;
}

/**
 * The backends to run a suite against. Postgres may be missing on a developer's machine and the
 * suite then runs on PGlite alone; under CI=true a missing Postgres fails the run instead.
 */
export async function backends(): Promise<Backend[]> {
  if (await postgresReachable()) return ['pglite', 'postgres'];
  if (process.env.CI === 'true') throw new Error(`CI=true but Postgres is not reachable at ${TEST_PG_URL}`);
  return ['pglite'];
}

export type TestDatabase = { database: Database; url: string | null; drop(): Promise<void> };

/** A fresh, empty database: in-memory PGlite, or a new database on the test Postgres server. */
export async function freshDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await openPglite(undefined);
    return { database, url: null, drop: () => database.close() };
  }
  const name = `k8sm_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const database = openPostgres({ url: url.toString(), max: 4 });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}
