import { expect } from 'vitest';
import type { Answer } from '../e2e/server-process';
import type { SshPeer } from '../peers/sshd';

type Api = (method: string, path: string, body?: unknown) => Promise<Answer>;

async function created(api: Api, path: string, body: unknown) {
  const a = await api('POST', path, body);
  expect(a.status, `POST ${path}: ${a.text}`).toBe(201);
  return a.json.id as string;
}

/** A project with a runner pool, and its environments (name → tier) on that pool. */
export async function seedPool<E extends string>(
  api: Api,
  opts: { project: string; pool: string; envs: Record<E, string> },
): Promise<{ project: string; pool: string; envs: Record<E, string> }> {
  const project = await created(api, '/projects', { name: opts.project });
  const pool = await created(api, '/runner-pools', { name: opts.pool, project_id: project });
  const envs = {} as Record<E, string>;
  for (const [name, tier] of Object.entries(opts.envs) as [E, string][])
    envs[name] = await created(api, '/environments', {
      project_id: project,
      name,
      tier,
      runner_pool_id: pool,
    });
  return { project, pool, envs };
}

/** A user with a password and one role in the project. */
export async function addMember(
  api: Api,
  m: { username: string; password: string; role: string; project: string },
): Promise<void> {
  await created(api, '/users', { username: m.username, password: m.password });
  await created(api, '/role-bindings', { username: m.username, role: m.role, project_id: m.project });
}

/**
 * What every runner test starts from: a project with a runner pool, its environments on that
 * pool, and one host the pool reaches over SSH by key (the sshd peer's root key).
 */
export async function seedSshHost<E extends string>(
  api: Api,
  sshd: SshPeer,
  opts: { project: string; pool: string; host: string; envs: Record<E, string> },
): Promise<{ project: string; pool: string; host: string; envs: Record<E, string> }> {
  const { project, pool, envs } = await seedPool(api, opts);
  const credential = await created(api, '/credentials', {
    project_id: project,
    name: 'root-key',
    kind: 'ssh_private_key',
    payload: { private_key: sshd.privateKey },
  });
  const host = await created(api, '/hosts', {
    project_id: project,
    name: opts.host,
    address: sshd.address,
    port: sshd.port,
    username: sshd.username,
    credential_id: credential,
    runner_pool_id: pool,
  });
  return { project, pool, host, envs };
}

/**
 * A host known by a password that no runner dials: enough for pages, previews and approvals that
 * name a host without reaching it.
 */
export async function seedUndialledHost(
  api: Api,
  opts: { project: string; name: string; address: string },
): Promise<string> {
  const credential = await created(api, '/credentials', {
    project_id: opts.project,
    name: `${opts.name}-password`,
    kind: 'ssh_password',
    payload: { password: 'an ssh password nobody dials with' },
  });
  return created(api, '/hosts', {
    project_id: opts.project,
    name: opts.name,
    address: opts.address,
    port: 22,
    username: 'deploy',
    credential_id: credential,
  });
}

/** A compose deploy target on the given hosts. */
export const createComposeTarget = (
  api: Api,
  t: { project: string; environment: string; name: string; hosts: string[]; composeProject: string },
) =>
  created(api, '/deploy/targets', {
    project_id: t.project,
    environment_id: t.environment,
    name: t.name,
    runtime_type: 'compose',
    host_ids: t.hosts,
    compose_project: t.composeProject,
  });

/**
 * A compose service released to two stages on the one SSH host: `seedSshHost` with a development
 * and a production environment, a compose target in each (its own compose project on the host),
 * and the service `web` with the given file. Project, pool and host are `shop`, `lab` and `lab-1`
 * unless named.
 */
export async function seedComposeStages(
  api: Api,
  sshd: SshPeer,
  opts: {
    project?: string;
    pool?: string;
    host?: string;
    composeFile: string;
    secretVariables?: string[];
    composeProjects: { dev: string; prod: string };
  },
) {
  const s = await seedSshHost(api, sshd, {
    project: opts.project ?? 'shop',
    pool: opts.pool ?? 'lab',
    host: opts.host ?? 'lab-1',
    envs: { dev: 'development', prod: 'production' },
  });
  const target = (environment: string, name: string, composeProject: string) =>
    createComposeTarget(api, { project: s.project, environment, name, hosts: [s.host], composeProject });
  return {
    ...s,
    devTarget: await target(s.envs.dev, 'dev-web', opts.composeProjects.dev),
    prodTarget: await target(s.envs.prod, 'prod-web', opts.composeProjects.prod),
    service: await created(api, '/services', {
      project_id: s.project,
      name: 'web',
      compose_file: opts.composeFile,
      ...(opts.secretVariables ? { secret_variables: opts.secretVariables } : {}),
    }),
  };
}
