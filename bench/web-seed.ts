import ssh2 from 'ssh2';
import { type Answer, call, type ServerProc } from '../test/e2e/server-process';

/**
 * A project as the Deploy page meets it in use: environments, services and targets for its lists to
 * load. Nothing is applied; the page only reads them.
 */
export async function seedDeployPage(server: ServerProc, token: string, services: number): Promise<void> {
  const post = async (path: string, body: unknown): Promise<string> => {
    const a: Answer = await call(server, 'POST', path, { token, body });
    if (a.status !== 201) throw new Error(`POST ${path} answered ${a.status}: ${a.text}`);
    return a.json.id as string;
  };
  const project = await post('/projects', { name: 'bench' });
  const pool = await post('/runner-pools', { name: 'bench-pool', project_id: project });
  const env = (name: string, tier: string) =>
    post('/environments', { project_id: project, name, tier, runner_pool_id: pool });
  const envs = [await env('dev', 'development'), await env('prod', 'production')];
  const credential = await post('/credentials', {
    project_id: project,
    name: 'bench-key',
    kind: 'ssh_private_key',
    payload: { private_key: ssh2.utils.generateKeyPairSync('ed25519').private },
  });
  // Never contacted: the page lists targets, it does not reach their hosts.
  const host = await post('/hosts', {
    project_id: project,
    name: 'bench-host',
    address: '127.0.0.1',
    port: 22,
    username: 'bench',
    credential_id: credential,
    runner_pool_id: pool,
  });
  for (const [i, environment_id] of envs.entries())
    await post('/deploy/targets', {
      project_id: project,
      environment_id,
      name: `web-${i}`,
      runtime_type: 'compose',
      host_ids: [host],
      compose_project: `bench-${i}`,
    });
  for (let i = 0; i < services; i++)
    await post('/services', {
      project_id: project,
      name: `svc-${i}`,
      compose_file: `services:\n  app:\n    image: \${REGISTRY}/svc-${i}:\${TAG}\n`,
    });
}
