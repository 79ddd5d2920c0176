import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComposeLab,
  COMPOSE_LAB_PEERS as PEERS,
  startComposeLab,
  WEB_AND_WORKER_COMPOSE,
} from '../peers/compose-lab';
import { dockerEnv } from '../peers/docker';
import { must } from '../peers/proc';
import { peerAvailable } from '../peers/require';
import { registerSecret } from '../support/leak-guard';
import { createComposeTarget, seedSshHost } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * A compose target's status as a user sees it through the API: `npm start`, the runner process, a
 * real sshd reaching a real Docker engine. After a release the status lists its containers; after
 * one is stopped by hand (`docker stop` on the engine) a refresh reports the target degraded.
 */
const COMPOSE_PROJECT = `status-${process.pid}`;

describe.skipIf(!peerAvailable(PEERS))('target status through a real runner', { timeout: 240_000 }, () => {
  let lab: ComposeLab;
  let stack: Stack;
  let target: string;

  const api = (method: string, path: string, body?: unknown): Promise<Answer> =>
    stack.api(method, path, body);
  const ok = async (method: string, path: string, body?: unknown) => {
    const a = await api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a.json;
  };

  /** Asks for a read and waits until a report newer than `after` is stored. */
  async function freshStatus(after: string | null) {
    const refresh = await api('POST', `/deploy/targets/${target}/status/refresh`);
    expect(refresh.status, refresh.text).toBe(202);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const s = (await api('GET', `/deploy/targets/${target}/status`)).json;
      if (s.observed_at && (after === null || s.observed_at > after) && s.job_id === refresh.json.job_id)
        return s;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('no status report arrived');
  }

  beforeAll(async () => {
    lab = await startComposeLab({ tags: ['v1'] });
    stack = await startStack();
    const s = await seedSshHost(api, lab.sshd, {
      project: 'status',
      pool: 'status-lab',
      host: 'lab-1',
      envs: { dev: 'development' },
    });
    const { project, pool } = s;
    target = await createComposeTarget(api, {
      project,
      environment: s.envs.dev,
      name: 'dev-web',
      hosts: [s.host],
      composeProject: COMPOSE_PROJECT,
    });
    const service = await ok('POST', '/services', {
      project_id: project,
      name: 'web',
      compose_file: WEB_AND_WORKER_COMPOSE,
      secret_variables: ['API_KEY'],
    });
    await stack.startRunner(pool, 'status-runner');
    const pv = await ok('POST', '/deploy/releases/preview', {
      service_id: service.id,
      target_id: target,
      variables: {
        REGISTRY: lab.registry.address,
        TAG: 'v1',
        API_KEY: registerSecret(`sk-status-${Date.now()}`),
      },
    });
    const ap = await ok('POST', '/deploy/releases/apply', { preview_ref: pv.preview_ref });
    const r = await stack.waitRelease(ap.release_id, ['applied', 'failed']);
    if (r.lifecycle_state !== 'applied')
      throw new Error(`release ${r.lifecycle_state}: ${JSON.stringify(r.diagnostics_json)}`);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  }, 120_000);

  let observed: string;

  it('lists the containers a release started, per host, and says healthy', async () => {
    const s = await freshStatus(null);
    expect(s.state).toBe('healthy');
    expect(s.hosts).toHaveLength(1);
    expect(s.hosts[0]).toMatchObject({ reachable: true, compose: 'v1', error_code: null });
    expect(
      s.hosts[0].containers.map((c: { service: string; state: string }) => [c.service, c.state]),
    ).toEqual([
      ['web', 'running'],
      ['worker', 'running'],
    ]);
    expect(s.hosts[0].containers[0].image).toBe(`${lab.registry.address}/web:v1`);
    const agg = await ok('GET', `/deploy/status?runtime_type=compose`);
    expect(agg.items).toEqual([expect.objectContaining({ target_id: target, state: 'healthy' })]);
    expect(agg.counts).toEqual({ healthy: 1, degraded: 0, unknown: 0 });
    observed = s.observed_at;
  });

  it('turns degraded once a container is stopped by hand on the engine', async () => {
    const env = { ...process.env, ...dockerEnv(lab.engine.host) };
    const id = (
      await must(
        [
          'docker',
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${COMPOSE_PROJECT}`,
          '--filter',
          'label=com.docker.compose.service=worker',
        ],
        { env },
      )
    ).trim();
    await must(['docker', 'stop', '-t', '1', id], { env });
    const s = await freshStatus(observed);
    expect(s.state).toBe('degraded');
    const worker = s.hosts[0].containers.find((c: { service: string }) => c.service === 'worker');
    expect(worker.state).toBe('exited');
    expect((await ok('GET', `/deploy/status`)).counts).toEqual({ healthy: 0, degraded: 1, unknown: 0 });
  });
});
