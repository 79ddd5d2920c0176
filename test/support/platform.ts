import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../functions/api/app';
import { buildDeps, type Deps } from '../../functions/api/deps';
import type { JobKinds } from '../../functions/api/jobs/kind';
import { createBinding } from '../../functions/api/rbac/service';
import { bootstrap } from '../../functions/api/users/bootstrap';
import { createUser } from '../../functions/api/users/service';
import { manualClock } from '../../functions/platform/clock';
import { loadConfig } from '../../functions/platform/config';
import { migrateUp } from '../../functions/platform/db/migrate';
import type { KeyProvider } from '../../functions/platform/keys/types';
import { createLogger } from '../../functions/platform/logger';
import type { BuiltinRole } from '../../shared/permissions';
import { type Backend, freshDatabase } from './databases';
import { captureLogs, recordResponse, registerSecret } from './leak-guard';

export const ADMIN = { username: 'root-admin', password: 'correct horse battery staple' };
export const PASSWORD = 'a long enough password';
registerSecret(ADMIN.password);
registerSecret(PASSWORD);

export type Req = { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string };

/**
 * The whole platform in-process on a fresh database: the same app `npm start` serves, with a
 * clock the test controls.
 */
export async function createTestPlatform(
  backend: Backend,
  env: Record<string, string> = {},
  opts: { keys?: KeyProvider; jobKinds?: JobKinds } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-test-'));
  const testDb = await freshDatabase(backend);
  const config = loadConfig({
    K8SM_DATA_DIR: dataDir,
    K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    ...env,
  });
  const clock = manualClock(new Date());
  const logs: string[] = [];
  const deps: Deps = await buildDeps(config, {
    database: testDb.database,
    clock,
    logger: createLogger('debug', captureLogs(logs)),
    ...(opts.keys ? { keys: opts.keys } : {}),
    ...(opts.jobKinds ? { jobKinds: opts.jobKinds } : {}),
  });
  await migrateUp(deps.database, deps.migrations);
  await bootstrap(deps);
  const app = createApp({ deps: async () => deps });

  async function request(method: string, path: string, req: Req = {}) {
    const headers: Record<string, string> = { ...req.headers };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    let body: string | undefined = req.rawBody;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const res = await app.request(`/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    recordResponse(text);
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  async function login(username: string, password: string) {
    const res = await request('POST', '/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
    return res.json.access_token as string;
  }

  const adminActor = { userId: 'system-test', source: 'system' as const, username: 'test' };
  const ctx = { db: deps.database.db, clock: deps.clock, actor: adminActor };
  let n = 0;

  /** A new user holding one built-in role (in one project, or everywhere), logged in. */
  async function userWithRole(role: BuiltinRole | string, projectId?: string) {
    n += 1;
    const username = `${role.replace(/[^a-z0-9]/g, '')}-${n}`;
    const user = await createUser({ username, password: PASSWORD }, ctx);
    await createBinding({ username, role, ...(projectId ? { project_id: projectId } : {}) }, ctx);
    return { id: user.id, username, token: await login(username, PASSWORD) };
  }

  return {
    app,
    deps,
    clock,
    config,
    logs,
    dataDir,
    databaseUrl: testDb.url,
    request,
    login,
    userWithRole,
    adminToken: () => login(ADMIN.username, ADMIN.password),
    async close() {
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof createTestPlatform>>;
