import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleReport, build, ENTRY_BUDGET_BYTES } from '../../script-tools/build';
import { backends, freshDatabase, type TestDatabase } from '../../test/support/databases';
import { bindAuditKeys } from '../api/audit/mac-key';
import { issueAccessToken } from '../api/auth/tokens';
import { bootstrap } from '../api/users/bootstrap';
import { findUserByUsername } from '../api/users/repo';
import { systemClock } from '../platform/clock';
import { loadConfig } from '../platform/config';
import { loadMigrations, migrateUp } from '../platform/db/migrate';
import { createKeyProvider } from '../platform/keys/provider';
import { readOrCreateKeyFile } from '../platform/secrets/jwt-key';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const INVOKER = join(ROOT, 'bench/lambda-invoke.mjs');
const CLOSED_PORT_URL = 'postgres://k8sm:unused@127.0.0.1:1/k8sm';

type Request = { method: string; path: string; headers?: Record<string, string>; body?: string };
type LambdaResult = { statusCode: number; body: string; headers: Record<string, string> };

let outdir: string;
let report: BundleReport;
const dirs: string[] = [];

function tempDir(prefix: string) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/**
 * A fresh Node process, as a Lambda cold start is, with nothing in its environment but PATH and
 * `env`, in an empty working directory (the local defaults write key files relative to it).
 */
async function invoke(
  requests: Request[],
  env: Record<string, string> = {},
  cwd = tempDir('k8sm-cwd-'),
  entryFile = report.entryFile,
) {
  const { stdout } = await run(process.execPath, [INVOKER, entryFile, JSON.stringify(requests)], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 20_000,
  });
  // The app's own JSON log lines come first; the invoker prints the results last.
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { results: (JSON.parse(last) as { results: LambdaResult[] }).results, cwd };
}

const get = (path: string, headers: Record<string, string> = {}): Request => ({
  method: 'GET',
  path,
  headers,
});

beforeAll(async () => {
  outdir = tempDir('k8sm-lambda-bundle-');
  report = await build({ outdir });
}, 120_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the bundled Lambda handler', () => {
  it('answers /health with no settings at all', async () => {
    const { results, cwd } = await invoke([get('/api/v1/health')]);
    expect(results[0]?.statusCode).toBe(200);
    expect(JSON.parse(results[0]?.body ?? '')).toEqual({ status: 'ok' });
    expect(results[0]?.headers['content-type']).toMatch(/^application\/json/);
    // Liveness resolved nothing: no PGlite directory, no key file.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('answers an unknown route with 404 in the SPEC error shape', async () => {
    // A closed port: resolving settings must not need the database to answer.
    const { results } = await invoke([get('/api/v1/no-such-route'), get('/not-the-api')], {
      DATABASE_URL: CLOSED_PORT_URL,
    });
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.statusCode).toBe(404);
      const body = JSON.parse(r.body);
      expect(body).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String), fields: [], request_id: expect.any(String) },
      });
      expect(r.headers['x-request-id']).toBe(body.error.request_id);
    }
  });

  describe('import and /health do no network or database work', () => {
    let server: Server;
    let connections = 0;
    let port = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('with DATABASE_URL on a closed port', async () => {
      const { results } = await invoke([get('/api/v1/health')], { DATABASE_URL: CLOSED_PORT_URL });
      expect(results[0]?.statusCode).toBe(200);
    });

    it('with the database and the AWS endpoint on a listener that counts connections', async () => {
      const { results } = await invoke([get('/api/v1/health'), get('/api/v1/health')], {
        DATABASE_URL: `postgres://k8sm:unused@127.0.0.1:${port}/k8sm`,
        K8SM_JWT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      });
      expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(connections).toBe(0);
    });
  });

  it(`loads at most ${ENTRY_BUDGET_BYTES / 1024} KiB at import`, () => {
    expect(report.entryBytes).toBeGreaterThan(0);
    expect(report.staticBytes).toBeLessThanOrEqual(ENTRY_BUDGET_BYTES);
  });

  it('ships the migrations next to the handler', () => {
    const shipped = readdirSync(join(outdir, 'migrations'));
    const source = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(shipped.sort()).toEqual(source.sort());
  });
});

// The lazily loaded chunks (driver, Casbin with its `require` calls, key loading, migrations on disk)
// only run once a request needs them: prove they work bundled, on the database a Lambda uses.
const withPostgres = (await backends()).includes('postgres');

describe.skipIf(!withPostgres)('the bundled Lambda handler on Postgres', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await freshDatabase('postgres');
  });
  afterAll(() => testDb?.drop());

  it('is ready once migrated, and serves an authenticated /me', async () => {
    const cwd = tempDir('k8sm-cwd-');
    const config = loadConfig({
      K8SM_DATA_DIR: join(cwd, '.k8sm'),
      K8SM_BOOTSTRAP_ADMIN: 'lambda-admin:a long enough password',
    });
    const env = { DATABASE_URL: testDb.url! };

    const before = await invoke([get('/api/v1/ready')], env, cwd);
    expect(before.results[0]?.statusCode).toBe(503);

    await migrateUp(testDb.database, await loadMigrations());
    // Seeding from here writes audit events outside the handler: bind them to the key provider the
    // handler will use (the same data directory), as buildDeps does for a process.
    bindAuditKeys(testDb.database.db, () => createKeyProvider(config));
    await bootstrap({ database: testDb.database, clock: systemClock, config });
    const admin = await findUserByUsername(testDb.database.db, 'lambda-admin');
    // The handler reads its key from ./.k8sm/jwt.key when no secret ARN is set; share it.
    const raw = await readOrCreateKeyFile(join(cwd, '.k8sm', 'jwt.key'), 32);
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const token = await issueAccessToken(admin!.id, key, systemClock, 300);

    const { results } = await invoke(
      [get('/api/v1/ready'), get('/api/v1/me', { authorization: `Bearer ${token}` }), get('/api/v1/me')],
      env,
      cwd,
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 401]);
    expect(JSON.parse(results[0]!.body)).toEqual({ status: 'ready', database: 'postgres' });
    const me = JSON.parse(results[1]!.body);
    expect(me.user.username).toBe('lambda-admin');
    expect(me.roles.map((r: { role: string }) => r.role)).toEqual(['admin']);

    // The claim function's entry is the same app; it finds the migrations beside itself too.
    const claim = await invoke([get('/api/v1/ready')], env, cwd, join(outdir, 'claim.mjs'));
    expect(claim.results.map((r) => r.statusCode)).toEqual([200]);
  });
});
