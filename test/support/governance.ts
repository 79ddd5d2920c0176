import { eq } from 'drizzle-orm';
import { clusters, credentials, environments, hosts, runnerPools } from '../../functions/platform/db/schema';
import { newId } from '../../functions/platform/ids';
import { registerSecret } from './leak-guard';
import type { TestPlatform } from './platform';

export const COMPOSE_FILE = `services:
  web:
    image: 127.0.0.1:5000/web:\${TAG}
    environment:
      API_KEY: \${API_KEY}
`;

export const K8S_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: \${REPLICAS}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/web:\${TAG}
`;

/**
 * A project with a development and a production environment, a compose target and a k8s target
 * in each, and a service with both templates. Hosts and clusters are written as rows: their
 * import paths have their own tests.
 */
export async function governanceFixture(p: TestPlatform, name: string) {
  const admin = await p.adminToken();
  const project = (await p.request('POST', '/projects', { token: admin, body: { name } })).json.id as string;
  const env = async (envName: string, tier: string) =>
    (
      await p.request('POST', '/environments', {
        token: admin,
        body: { project_id: project, name: envName, tier },
      })
    ).json.id as string;
  const dev = await env('dev', 'development');
  const stage = await env('stage', 'staging');
  const prod = await env('prod', 'production');
  // A pool row, bound by SQL: the runner routes have their own tests; the jobs here are claimed
  // through the jobs module.
  const db = p.deps.database.db;
  const pool = `pool_${name}`;
  await db.insert(runnerPools).values({
    id: pool,
    name: `pool-${name}`,
    projectId: project,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  for (const id of [dev, stage, prod])
    await db.update(environments).set({ runnerPoolId: pool }).where(eq(environments.id, id));

  const now = new Date();
  const credentialId = newId('cred');
  await db.insert(credentials).values({
    id: credentialId,
    projectId: project,
    name: `fixture-${name}`,
    kind: 'ssh_password',
    metadata: {},
    envelope: { v: 1, alg: 'A256GCM', ciphertext: '', nonce: '', tag: '', wrapped_key: '', key_id: 'none' },
    createdAt: now,
    updatedAt: now,
  });
  const hostId = newId('host');
  await db.insert(hosts).values({
    id: hostId,
    projectId: project,
    name: 'h1',
    address: '127.0.0.1',
    port: 22,
    username: 'deploy',
    credentialId,
    createdAt: now,
    updatedAt: now,
  });
  const clusterId = newId('cls');
  await db.insert(clusters).values({
    id: clusterId,
    projectId: project,
    name: 'c1',
    clusterSource: 'external_managed',
    mode: 'token',
    server: 'https://127.0.0.1:6443',
    credentialId,
    metadata: {},
    createdAt: now,
    updatedAt: now,
  });
  const target = async (envId: string, tName: string, runtime: 'k8s' | 'compose') => {
    const body =
      runtime === 'k8s'
        ? {
            project_id: project,
            environment_id: envId,
            name: tName,
            runtime_type: 'k8s',
            cluster_id: clusterId,
            namespace: 'web',
          }
        : {
            project_id: project,
            environment_id: envId,
            name: tName,
            runtime_type: 'compose',
            host_ids: [hostId],
            compose_project: 'web',
          };
    const res = await p.request('POST', '/deploy/targets', { token: admin, body });
    if (res.status !== 201) throw new Error(`target: ${res.text}`);
    return res.json.id as string;
  };
  const service = await p.request('POST', '/services', {
    token: admin,
    body: {
      project_id: project,
      name: 'web',
      compose_file: COMPOSE_FILE,
      k8s_manifest: K8S_MANIFEST,
      secret_variables: ['API_KEY'],
    },
  });
  if (service.status !== 201) throw new Error(`service: ${service.text}`);
  return {
    admin,
    project,
    pool,
    hostId,
    clusterId,
    envs: { dev, stage, prod },
    serviceId: service.json.id as string,
    targets: {
      devCompose: await target(dev, 'dev-compose', 'compose'),
      devK8s: await target(dev, 'dev-k8s', 'k8s'),
      stageCompose: await target(stage, 'stage-compose', 'compose'),
      prodCompose: await target(prod, 'prod-compose', 'compose'),
    },
  };
}

let n = 0;
/** Compose variables with a fresh secret the leak guard watches for. */
export function composeVars(tag: string) {
  n += 1;
  return { TAG: tag, API_KEY: registerSecret(`sk-live-${tag}-${n}-${Math.random().toString(36).slice(2)}`) };
}
