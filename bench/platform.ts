import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
} from '../test/e2e/server-process';

const ADMIN_PASSWORD = 'bench admin password long enough';

export type Api = (method: string, path: string, body?: unknown) => Promise<Answer>;

/**
 * The platform as the release benches time it: `npm start` on the embedded database with an admin
 * signed in, a project with a runner pool and a development environment, and runner processes
 * (`npm run runner`) registered to the pool. A 4xx/5xx answer throws: a bench must not time errors.
 */
export type BenchPlatform = {
  server: ServerProc;
  api: Api;
  project: string;
  pool: string;
  env: string;
  startRunner(name: string): Promise<Proc>;
  /**
   * What a release bench releases: the target `web` in the environment (`runtime` its
   * runtime-specific fields) and the service `web` with its template.
   */
  webService(
    runtime: Record<string, unknown>,
    template: { compose_file: string } | { k8s_manifest: string },
  ): Promise<{ target: string; service: string }>;
  stop(): Promise<void>;
};

export async function startBenchPlatform(prefix: string): Promise<BenchPlatform> {
  const dirs: string[] = [];
  const tmp = (what: string) => {
    const d = mkdtempSync(join(tmpdir(), `k8sm-bench-${prefix}-${what}-`));
    dirs.push(d);
    return d;
  };
  const server = startServer({
    K8SM_PORT: String(await freePort()),
    K8SM_DATA_DIR: tmp('data'),
    K8SM_BOOTSTRAP_ADMIN: `admin:${ADMIN_PASSWORD}`,
    K8SM_LOG_LEVEL: 'warn',
  });
  await waitHealthy(server, 120_000);
  const admin = (await login(server, 'admin', ADMIN_PASSWORD)).json.access_token as string;
  const api: Api = async (method, path, body) => {
    const a = await call(server, method, path, { token: admin, ...(body !== undefined ? { body } : {}) });
    if (a.status >= 400) throw new Error(`${method} ${path}: ${a.status} ${a.text}`);
    return a;
  };
  const project = (await api('POST', '/projects', { name: 'bench' })).json.id as string;
  const pool = (await api('POST', '/runner-pools', { name: 'bench', project_id: project })).json.id as string;
  const env = (
    await api('POST', '/environments', {
      project_id: project,
      name: 'dev',
      tier: 'development',
      runner_pool_id: pool,
    })
  ).json.id as string;
  return {
    server,
    api,
    project,
    pool,
    env,
    async startRunner(name) {
      const tok = await api('POST', `/runner-pools/${pool}/registration-tokens`, {});
      return runTsx(
        'runner/cli.ts',
        [
          '--api',
          `http://127.0.0.1:${server.port}`,
          '--registration-token',
          tok.json.token,
          '--state-dir',
          join(tmp('runner'), 'state'),
          '--name',
          name,
        ],
        {},
      );
    },
    async webService(runtime, template) {
      const target = await api('POST', '/deploy/targets', {
        project_id: project,
        environment_id: env,
        name: 'web',
        ...runtime,
      });
      const service = await api('POST', '/services', { project_id: project, name: 'web', ...template });
      return { target: target.json.id as string, service: service.json.id as string };
    },
    async stop() {
      await killAll();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
