import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { INSTALL_STEPS } from '../../shared/install/work';
import type { ClaimedJob } from '../../shared/jobs/claim';
import type { Backend } from './databases';
import { type Material, makeMaterial } from './material';
import { createTestPlatform, type TestPlatform } from './platform';
import { createPool, registerRunner, type TestRunner } from './runners';

const sha = (c: string) => c.repeat(64);
const bundle = (runtime: 'compose' | 'k8s', version: string) => ({
  runtime,
  version,
  synthetic: true,
  platforms: [{ os: 'linux', arch: 'amd64', distributions: ['debian-12'] }],
  files: [
    {
      path: `bin/linux-amd64/${runtime}d-${version}`,
      sha256: sha('a'),
      install_to: `usr/local/bin/${runtime}d`,
    },
  ],
  entry: {
    install: 'hooks/install.sh',
    uninstall: 'hooks/uninstall.sh',
    start: 'hooks/start.sh',
    check: 'hooks/check.sh',
  },
});

/** A small manifest of the shape of `script/manifests/index.yaml`, for these tests only. */
export const TEST_MANIFEST = {
  schema: 1,
  bundles: [bundle('compose', '24.0.5-test'), bundle('compose', '25.0.1-test'), bundle('k8s', '1.29.0-test')],
};

/**
 * A platform whose manifest is TEST_MANIFEST, a project with a development and a production
 * environment on one runner pool, a registered runner of that pool, and `hosts` SSH hosts.
 */
export async function installFixture(backend: Backend, hostCount: number) {
  const m: Material = makeMaterial();
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-manifest-'));
  const manifestPath = join(dir, 'index.yaml');
  writeFileSync(manifestPath, stringify(TEST_MANIFEST));
  const p: TestPlatform = await createTestPlatform(backend, { K8SM_BUNDLE_MANIFEST: manifestPath });
  const admin = await p.adminToken();
  const post = async (path: string, body: unknown, token = admin) => {
    const r = await p.request('POST', path, { token, body });
    expect(r.status, r.text).toBeLessThan(300);
    return r.json;
  };
  const project = (await post('/projects', { name: 'infra' })).id as string;
  const other = (await post('/projects', { name: 'elsewhere' })).id as string;
  const pool = await createPool(p, admin, 'dc1', project);
  const env = async (name: string, tier: string) =>
    (await post('/environments', { project_id: project, name, tier, runner_pool_id: pool })).id as string;
  const envs = { dev: await env('dev', 'development'), prod: await env('prod', 'production') };
  const host = async (projectId: string, name: string) => {
    const cred = await post('/credentials', {
      project_id: projectId,
      name: `key-${name}`,
      kind: 'ssh_private_key',
      payload: { private_key: m.plainKey.private_key },
    });
    return (
      await post('/hosts', {
        project_id: projectId,
        name,
        address: '10.1.0.1',
        port: 22,
        username: 'root',
        credential_id: cred.id,
      })
    ).id as string;
  };
  const hosts: string[] = [];
  for (let i = 0; i < hostCount; i++) hosts.push(await host(project, `node-${i}`));
  const foreignHost = await host(other, 'stranger');
  const runner: TestRunner = await registerRunner(p, admin, pool);
  const requester = await p.userWithRole('admin', project);
  const approver = await p.userWithRole('approver', project);

  const install = (envId: string, body: Record<string, unknown>, token = requester.token) =>
    p.request('POST', `/environments/${envId}/install`, { token, body });
  const task = async (envId: string, id: string) =>
    (await p.request('GET', `/environments/${envId}/install/tasks/${id}`, { token: admin })).json;

  /** Claims until the job of `taskId` comes; jobs other tests left behind are failed on the way. */
  async function claimFor(taskId: string): Promise<ClaimedJob> {
    for (let i = 0; i < 50; i++) {
      const c = await runner.claim();
      if (!c) throw new Error(`no job for ${taskId}`);
      if (c.job.payload.task_id === taskId) return c;
      await complete(c, { status: 'failed', error_code: 'APPLY_FAILED' });
    }
    throw new Error('too many jobs');
  }
  const step = (
    c: ClaimedJob,
    name: string,
    hostId: string,
    status: string,
    extra: Record<string, unknown> = {},
  ) =>
    runner.call('POST', `/runner/jobs/${c.job.id}/steps`, {
      lease_token: c.job.lease_token,
      name: `install.${name}.${hostId}`,
      host_id: hostId,
      attempt: c.job.attempt,
      status,
      ...extra,
    });
  async function complete(c: ClaimedJob, body: Record<string, unknown>) {
    const r = await runner.call('POST', `/runner/jobs/${c.job.id}/complete`, {
      lease_token: c.job.lease_token,
      ...body,
    });
    expect(r.status, r.text).toBe(200);
  }
  /** Every step of every host, started and succeeded. */
  async function runAll(c: ClaimedJob, hostIds: string[]) {
    for (const h of hostIds)
      for (const s of INSTALL_STEPS) {
        await step(c, s, h, 'running');
        expect((await step(c, s, h, 'succeeded', { output: `${s} ok on ${h}` })).status).toBe(200);
      }
  }
  const succeeded = (hostIds: string[], extra: Record<string, unknown> = {}) => ({
    status: 'succeeded',
    result: { hosts: hostIds.map((host_id) => ({ host_id, status: 'succeeded', arch: 'amd64' })), ...extra },
  });

  return {
    p,
    m,
    admin,
    project,
    pool,
    envs,
    hosts,
    foreignHost,
    runner,
    requester,
    approver,
    install,
    task,
    claimFor,
    step,
    complete,
    runAll,
    succeeded,
    async close() {
      await p.close();
      m.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type InstallFixture = Awaited<ReturnType<typeof installFixture>>;
