import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { recordResponse } from '../support/leak-guard';
import { addMember } from '../support/ssh-host';
import {
  type Answer,
  call,
  freePort,
  killAll,
  login,
  type Proc,
  runTsx,
  type ServerProc,
  startServer,
  waitHealthy,
} from './server-process';

export const ADMIN_PASSWORD = 'e2e admin password long enough';

/**
 * The platform as a user starts it (`npm start` on the embedded database, in its own data dir)
 * with an admin signed in, and runner processes (`npm run runner`) registered to a pool. Every
 * API answer goes to the leak guard, which fails the file if a registered secret shows.
 */
export type Stack = {
  server: ServerProc;
  admin: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<Answer>;
  /** A temp dir removed by `stop`. */
  tmp(prefix: string): string;
  /** Mints a registration token for the pool and starts a runner process with its own state dir. */
  /** `env`: added to the runner's otherwise bare environment (AWS credentials for EKS, say). */
  startRunner(poolId: string, name?: string, env?: Record<string, string>): Promise<Proc>;
  /** A new user with one role in the project, signed in: answers its access token. */
  member(username: string, role: string, project: string): Promise<string>;
  /** Polls a release until its lifecycle state is one of `states`; answers the release. */
  waitRelease(id: string, states: string[], timeoutMs?: number): Promise<any>;
  runners: Proc[];
  stop(): Promise<void>;
};

/** `healthyWithinMs`: how long a start may take (migrations on a fresh embedded database) on a busy machine. */
export async function startStack(
  env: Record<string, string> = {},
  opts: { healthyWithinMs?: number } = {},
): Promise<Stack> {
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const server = startServer({
    K8SM_PORT: String(await freePort()),
    K8SM_DATA_DIR: tmp('k8sm-e2e-data-'),
    K8SM_BOOTSTRAP_ADMIN: `admin:${ADMIN_PASSWORD}`,
    K8SM_LOG_LEVEL: 'warn',
    ...env,
  });
  await waitHealthy(server, opts.healthyWithinMs);
  const admin = (await login(server, 'admin', ADMIN_PASSWORD)).json.access_token as string;
  const api = async (method: string, path: string, body?: unknown, token = admin) => {
    const a = await call(server, method, path, { token, ...(body !== undefined ? { body } : {}) });
    recordResponse(a.text);
    return a;
  };
  const runners: Proc[] = [];
  return {
    server,
    admin,
    api,
    tmp,
    runners,
    async startRunner(poolId, name = `runner-${runners.length + 1}`, env = {}) {
      const tok = await call(server, 'POST', `/runner-pools/${poolId}/registration-tokens`, {
        token: admin,
        body: {},
      });
      expect(tok.status, tok.text).toBe(201);
      const proc = runTsx(
        'runner/cli.ts',
        [
          '--api',
          `http://127.0.0.1:${server.port}`,
          '--registration-token',
          tok.json.token,
          '--state-dir',
          join(tmp('k8sm-runner-'), 'state'),
          '--name',
          name,
        ],
        env,
      );
      runners.push(proc);
      return proc;
    },
    async member(username, role, project) {
      const password = `${username} e2e password long enough`;
      await addMember(api, { username, password, role, project });
      return (await login(server, username, password)).json.access_token as string;
    },
    async waitRelease(id, states, timeoutMs = 150_000) {
      const deadline = Date.now() + timeoutMs;
      let r: Answer | undefined;
      while (Date.now() < deadline) {
        r = await api('GET', `/deploy/releases/${id}`);
        if (states.includes(r.json.lifecycle_state)) return r.json;
        await new Promise((res) => setTimeout(res, 300));
      }
      throw new Error(`release ${id} still ${r?.json.lifecycle_state} after ${timeoutMs} ms`);
    },
    async stop() {
      // The processes' own output goes to the leak guard as well.
      recordResponse(server.stdout() + server.stderr());
      for (const r of runners) recordResponse(r.stdout() + r.stderr());
      await killAll();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
