import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type K8sFixture, startK8sFixture } from '../peers/k8s-fixture/server';
import { peerAvailable } from '../peers/require';
import { registerSecret } from '../support/leak-guard';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * A Kubernetes target's status through the API: `npm start`, the runner process and the HTTPS
 * Kubernetes API fixture (test/peers/k8s-fixture; no real API server can run here). After a release
 * the status lists the target's Deployment with its replicas and rollout; a release whose image
 * never pulls leaves it degraded.
 */
const available = peerAvailable(['openssl']);
const NAMESPACE = 'status';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/web:\${TAG}
`;

describe.skipIf(!available)('k8s target status through a real runner', { timeout: 180_000 }, () => {
  let fixture: K8sFixture;
  let stack: Stack;
  let target = '';
  let service = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>) {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${what}\nrunner:\n${stack.runners[0]?.stderr().slice(-2000)}`);
  }

  async function release(tag: string) {
    const pv = await api('POST', '/deploy/releases/preview', {
      service_id: service,
      target_id: target,
      variables: { TAG: tag },
    });
    const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
    return waitFor('release did not end', async () => {
      const r = (await api('GET', `/deploy/releases/${ap.json.release_id}`)).json;
      return ['applied', 'failed'].includes(r.lifecycle_state) ? r.lifecycle_state : undefined;
    });
  }

  /** Asks for a read and waits for that read's report. */
  async function freshStatus() {
    const refresh = await api('POST', `/deploy/targets/${target}/status/refresh`);
    expect(refresh.status).toBe(202);
    return waitFor('no status report arrived', async () => {
      const s = (await api('GET', `/deploy/targets/${target}/status`)).json;
      return s.job_id === refresh.json.job_id ? s : undefined;
    });
  }

  beforeAll(async () => {
    fixture = await startK8sFixture({ namespaces: [NAMESPACE] });
    registerSecret(fixture.token);
    stack = await startStack();
    const project = (await api('POST', '/projects', { name: 'status' })).json.id;
    const pool = (await api('POST', '/runner-pools', { name: 'lab', project_id: project })).json.id;
    const env = (
      await api('POST', '/environments', {
        project_id: project,
        name: 'dev',
        tier: 'development',
        runner_pool_id: pool,
      })
    ).json.id;
    const cluster = await api('POST', '/clusters/import', {
      project_id: project,
      name: 'lab',
      runner_pool_id: pool,
      mode: 'token',
      endpoint: fixture.url,
      ca: fixture.ca,
      token: fixture.token,
    });
    target = (
      await api('POST', '/deploy/targets', {
        project_id: project,
        environment_id: env,
        name: 'dev-web',
        runtime_type: 'k8s',
        cluster_id: cluster.json.id,
        namespace: NAMESPACE,
      })
    ).json.id;
    service = (await api('POST', '/services', { project_id: project, name: 'web', k8s_manifest: MANIFEST }))
      .json.id;
    await stack.startRunner(pool, 'runner-status-k8s');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await fixture?.stop();
  }, 60_000);

  it("lists the release's Deployment with its replicas and rollout, and is healthy", async () => {
    expect(await release('v1')).toBe('applied');
    const s = await freshStatus();
    expect(s).toMatchObject({
      state: 'healthy',
      error_code: null,
      workloads: [{ kind: 'Deployment', name: 'web', ready: 2, desired: 2, rollout: 'complete' }],
    });
    expect(s.hosts).toBeUndefined();
    const selector = `app.kubernetes.io/managed-by=k8s-manage,k8s-manage/target=${target}`;
    expect(fixture.requests()).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
        query: { labelSelector: selector },
      }),
    );
  });

  it('is degraded after a release whose image never pulls', async () => {
    expect(await release('missing')).toBe('failed');
    const s = await freshStatus();
    expect(s.state).toBe('degraded');
    expect(s.workloads).toMatchObject([{ kind: 'Deployment', name: 'web', rollout: 'failed' }]);
    const agg = (await api('GET', '/deploy/status?runtime_type=k8s')).json;
    expect(agg.counts).toEqual({ healthy: 0, degraded: 1, unknown: 0 });
  });
});
