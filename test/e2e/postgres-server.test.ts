import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, TEST_PG_URL } from '../support/databases';
import { call, freePort, killAll, login, startServer, waitExit, waitHealthy } from './server-process';

/**
 * `npm start` with DATABASE_URL: the same process, on a real Postgres. backends() skips only on a
 * developer machine without Postgres; under CI=true it throws, so a missing Postgres fails here.
 */
const withPostgres = (await backends()).includes('postgres');

describe.skipIf(!withPostgres)('npm start with DATABASE_URL', () => {
  const name = `k8sm_e2e_${randomBytes(6).toString('hex')}`;
  let admin: postgres.Sql;
  let databaseUrl: string;
  let dataDir: string;

  beforeAll(async () => {
    admin = postgres(TEST_PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dataDir = mkdtempSync(join(tmpdir(), 'k8sm-e2e-pg-'));
  });

  afterAll(async () => {
    await killAll();
    if (admin) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, bootstraps the admin and serves logins from Postgres', async () => {
    const password = randomBytes(15).toString('base64url');
    const server = startServer({
      DATABASE_URL: databaseUrl,
      K8SM_DATA_DIR: dataDir,
      K8SM_PORT: String(await freePort()),
      K8SM_BOOTSTRAP_ADMIN: `ops:${password}`,
    });
    await waitHealthy(server);

    expect((await call(server, 'GET', '/ready')).json).toEqual({ status: 'ready', database: 'postgres' });
    const res = await login(server, 'ops', password);
    expect(res.status).toBe(200);
    const me = await call(server, 'GET', '/me', { token: res.json.access_token });
    expect(me.status).toBe(200);
    expect(me.json.user.username).toBe('ops');

    // The data really is in that database, and no embedded one was made next to it.
    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const users = await db`select username from users`;
      expect(users.map((u) => u.username)).toEqual(['ops']);
      const ledger = await db`select version from schema_migrations`;
      expect(ledger.length).toBeGreaterThan(0);
    } finally {
      await db.end({ timeout: 5 });
    }
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);

    process.kill(server.pid, 'SIGTERM');
    expect(await waitExit(server, 15_000)).toEqual({ code: 0, signal: null });
    const output = server.stdout() + server.stderr();
    expect(output).not.toContain(password);
    // A URL may carry a password; the server must not print it either.
    expect(output).not.toContain(databaseUrl);
  }, 120_000);
});
