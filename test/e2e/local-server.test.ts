import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  freePort,
  killAll,
  login,
  type Proc,
  type ServerProc,
  startServer,
  waitExit,
  waitHealthy,
} from './server-process';

/**
 * `npm start` as a user runs it: a real child process on the embedded PGlite, real files in a
 * data directory, real signals. Nothing here reaches into the server's modules.
 */

const PASSWORD_FILE = 'initial-admin-password';
const LOCK_FILE = 'k8sm.lock';

const tempDirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'k8sm-e2e-'));
  tempDirs.push(d);
  return d;
};

afterAll(async () => {
  await killAll();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const allOutput = (procs: Proc[]) => procs.map((p) => p.stdout() + p.stderr()).join('\n');

describe('npm start without K8SM_BOOTSTRAP_ADMIN', () => {
  let dataDir: string;
  let first: ServerProc;
  let password: string;
  let passwordFileStat: { content: string; mtimeMs: number };
  /** Every server of this data directory, so the leak check covers all of their output. */
  const procs: Proc[] = [];

  beforeAll(async () => {
    dataDir = tempDir();
    first = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: String(await freePort()) });
    procs.push(first);
    await waitHealthy(first);
  }, 90_000);

  it('answers /health and reports ready on the embedded database', async () => {
    const health = await call(first, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await call(first, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', database: 'pglite' });
    // The embedded database lives in the data directory, not in memory.
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);
  });

  it('writes a generated admin password to initial-admin-password with mode 0600', () => {
    const path = join(dataDir, PASSWORD_FILE);
    const stat = statSync(path);
    expect(stat.mode & 0o777).toBe(0o600);
    const content = readFileSync(path, 'utf8');
    password = content.trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    passwordFileStat = { content, mtimeMs: stat.mtimeMs };
  });

  it('logs in with the password from the file and answers /me as the admin', async () => {
    const res = await login(first, 'admin', password);
    expect(res.status).toBe(200);
    expect(res.json.token_type).toBe('Bearer');
    const me = await call(first, 'GET', '/me', { token: res.json.access_token });
    expect(me.status).toBe(200);
    expect(me.json.user.username).toBe('admin');
    expect(me.json.roles).toContainEqual(expect.objectContaining({ role: 'admin', project_id: null }));

    // A wrong password is refused, so the 200 above is not a server that accepts anything.
    expect((await login(first, 'admin', `${password}x`)).status).toBe(401);
  });

  it('prints the path of the password file on stdout (SPEC §3), never the password', () => {
    expect(first.stdout()).toContain(join(dataDir, PASSWORD_FILE));
    expect(allOutput([first])).not.toContain(password);
  });

  it('writes only JSON lines to stdout', () => {
    const lines = first.stdout().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry).toEqual(expect.objectContaining({ level: expect.any(String), msg: expect.any(String) }));
    }
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('listening');
  });

  it('refuses a second server on the same data directory while the first keeps serving', async () => {
    const holder = readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim();
    const second = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: String(await freePort()) });
    procs.push(second);
    const exit = await waitExit(second, 60_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    // The message says which directory is locked and by whom, so the user can find the holder.
    expect(second.stderr()).toContain(dataDir);
    expect(second.stderr()).toContain(`process ${holder}`);

    // The refused server neither took the lock over nor disturbed the first.
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(holder);
    expect((await call(first, 'GET', '/ready')).status).toBe(200);
    expect((await login(first, 'admin', password)).status).toBe(200);
  }, 90_000);

  it('keeps what was written: creates a user to look for after the restart', async () => {
    const token = (await login(first, 'admin', password)).json.access_token;
    const created = await call(first, 'POST', '/users', {
      token,
      body: { username: 'kept-user', password: 'a password that persists' },
    });
    expect(created.status).toBe(201);
  });

  it('exits 0 promptly on SIGTERM and removes the lock file', async () => {
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    const t0 = Date.now();
    process.kill(first.pid, 'SIGTERM');
    const exit = await waitExit(first, 15_000);
    // The server's own fallback exits 1 after 10 s; 0 well before that is a clean close.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 30_000);

  it('keeps its data across a restart: the same password works and no new password is made', async () => {
    const again = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: String(await freePort()) });
    procs.push(again);
    await waitHealthy(again);
    expect((await call(again, 'GET', '/ready')).json).toEqual({ status: 'ready', database: 'pglite' });

    const path = join(dataDir, PASSWORD_FILE);
    expect(readFileSync(path, 'utf8')).toBe(passwordFileStat.content);
    expect(statSync(path).mtimeMs).toBe(passwordFileStat.mtimeMs);

    const res = await login(again, 'admin', password);
    expect(res.status).toBe(200);
    const users = await call(again, 'GET', '/users', { token: res.json.access_token });
    expect(users.status).toBe(200);
    expect(users.json.items.map((u: any) => u.username).sort()).toEqual(['admin', 'kept-user']);
    expect((await login(again, 'kept-user', 'a password that persists')).status).toBe(200);

    const messages = again
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).msg);
    expect(messages).not.toContain('bootstrap admin created');
    expect(messages).not.toContain('migrations applied');

    process.kill(again.pid, 'SIGTERM');
    expect((await waitExit(again, 15_000)).code).toBe(0);
  }, 90_000);

  it('never printed the admin password, in any run', () => {
    expect(password).toBeTruthy();
    expect(procs.length).toBe(3);
    expect(allOutput(procs)).not.toContain(password);
  });
});

describe('npm start with K8SM_BOOTSTRAP_ADMIN', () => {
  it('creates that admin with that password and writes no password file', async () => {
    const dataDir = tempDir();
    // 20 characters with a colon inside: the setting splits at the first colon only.
    const password = `${randomBytes(6).toString('hex')}:${randomBytes(6).toString('base64url').slice(0, 7)}`;
    expect(password).toHaveLength(20);
    const server = startServer({
      K8SM_DATA_DIR: dataDir,
      K8SM_PORT: String(await freePort()),
      K8SM_BOOTSTRAP_ADMIN: `ops:${password}`,
    });
    await waitHealthy(server);

    const res = await login(server, 'ops', password);
    expect(res.status).toBe(200);
    const me = await call(server, 'GET', '/me', { token: res.json.access_token });
    expect(me.json.user.username).toBe('ops');
    expect(me.json.roles).toContainEqual(expect.objectContaining({ role: 'admin', project_id: null }));
    // No generated admin next to the given one.
    const users = await call(server, 'GET', '/users', { token: res.json.access_token });
    expect(users.json.items.map((u: any) => u.username)).toEqual(['ops']);

    expect(existsSync(join(dataDir, PASSWORD_FILE))).toBe(false);

    process.kill(server.pid, 'SIGTERM');
    expect((await waitExit(server, 15_000)).code).toBe(0);
    expect(server.stdout()).toContain('bootstrap admin created');
    expect(allOutput([server])).not.toContain(password);
  }, 90_000);
});

describe('npm start with a bad setting', () => {
  it('exits non-zero naming K8SM_PORT and starts nothing', async () => {
    const dataDir = join(tempDir(), 'data');
    const server = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: 'notaport' });
    const exit = await waitExit(server, 60_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(server.stderr()).toContain('K8SM_PORT');
    // Settings are checked before anything is touched: no data directory, no lock.
    expect(existsSync(dataDir)).toBe(false);
  }, 90_000);

  it('exits non-zero naming the port when it is taken, and the next start still gets the data directory', async () => {
    const dataDir = tempDir();
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
    );
    try {
      const server = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: String(port) });
      const exit = await waitExit(server, 60_000);
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      expect(server.stderr()).toContain(String(port));
    } finally {
      await new Promise((r) => taken.close(r));
    }

    // Whatever the failed start left in the data directory must not lock the next one out.
    const next = startServer({ K8SM_DATA_DIR: dataDir, K8SM_PORT: String(await freePort()) });
    await waitHealthy(next);
    process.kill(next.pid, 'SIGTERM');
    expect((await waitExit(next, 15_000)).code).toBe(0);
  }, 120_000);
});
