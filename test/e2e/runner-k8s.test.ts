import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type K8sFixture, startK8sFixture } from '../peers/k8s-fixture/server';
import { peerAvailable } from '../peers/require';
import { registerSecret } from '../support/leak-guard';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * A Kubernetes release landing end to end: `npm start` on the embedded database, the runner
 * process (`npm run runner`), and a Kubernetes API server over real TLS with a bearer token. No
 * kube-apiserver can run where these tests run (no package, and kind/k3s need images from the
 * internet), so the API server is the strict fixture of test/peers/k8s-fixture: it speaks the wire
 * contract the runner uses, simulates rollouts (an image whose reference contains `missing` never
 * pulls) and keeps what was applied. Nothing here reaches into the platform's or the runner's
 * modules: the cluster is imported, tested and deployed to through the API only.
 */
// The fixture makes its certificates with the openssl CLI.
const available = peerAvailable(['openssl']);

const NAMESPACE = 'shop';
const EKS_NAMESPACE = 'shop-eks';
// The runner's own AWS credentials (keys in its environment, the SDK chain's first source); the
// fixture recomputes the presigned token's signature with the same secret, as STS would.
const AWS_KEYS = {
  access_key_id: 'AKIAE2EEKSRUNNER0001',
  secret_access_key: registerSecret(`eks-e2e-${Math.random().toString(36).slice(2)}-secret`),
};
const EKS = { cluster_name: 'shop-eks', region: 'eu-central-1' };
// Never sent to the registry: the fixture does not pull, it only reads the reference.
const REGISTRY = '127.0.0.1:5000';
const SECRET = registerSecret(`sk-k8s-e2e-${Math.random().toString(36).slice(2)}`);
const SECRET_B64 = registerSecret(Buffer.from(SECRET).toString('base64'));

// The Secret's value comes from a secret variable: the platform stores it encrypted, only the
// runner's sealed work order carries it, and the cluster is the one place it may arrive in clear.
const MANIFEST = `apiVersion: v1
kind: Secret
metadata:
  name: web-env
type: Opaque
stringData:
  API_KEY: "\${API_KEY}"
---
apiVersion: apps/v1
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
          image: ${REGISTRY}/web:\${TAG}
          envFrom:
            - secretRef:
                name: web-env
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)(
  'a Kubernetes release through a real runner, against the HTTPS Kubernetes API fixture',
  { timeout: 180_000 },
  () => {
    let fixture: K8sFixture;
    let stack: Stack;
    const ids = {} as Record<'project' | 'pool' | 'dev' | 'cluster' | 'target' | 'service', string>;

    // Every answer goes to the leak guard too, which fails the file if a registered secret shows.
    const api = (method: string, path: string, body?: unknown): Promise<Answer> =>
      stack.api(method, path, body);

    async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const v = await probe();
        if (v !== undefined) return v;
        await sleep(300);
      }
      throw new Error(`${what} after ${timeoutMs} ms\nrunner:\n${stack.runners[0]?.stderr().slice(-2000)}`);
    }

    const waitRelease = (id: string, states: string[]) =>
      waitFor(`release ${id} not in ${states.join('|')}`, async () => {
        const r = await api('GET', `/deploy/releases/${id}`);
        return states.includes(r.json.lifecycle_state) ? r.json : undefined;
      });

    async function release(tag: string) {
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: ids.service,
        target_id: ids.target,
        variables: { TAG: tag, API_KEY: SECRET },
      });
      expect(pv.status, pv.text).toBe(201);
      expect(pv.json.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
      expect(ap.status, ap.text).toBe(202);
      return ap.json.release_id as string;
    }

    const timeline = async (releaseId: string) =>
      (await api('GET', `/deploy/releases/${releaseId}/timeline`)).json.items as {
        action: string;
        source: string;
        status: string;
        detail: { step?: string; error_code?: string | null };
      }[];

    const stored = (kind: string, name: string) =>
      fixture
        .objects()
        .find((o) => o.kind === kind && o.metadata.namespace === NAMESPACE && o.metadata.name === name);
    const storedApiKey = () =>
      (stored('Secret', 'web-env')?.data as Record<string, string> | undefined)?.API_KEY;
    const imageOfWeb = () => (stored('Deployment', 'web')?.spec as any)?.template.spec.containers[0].image;

    beforeAll(async () => {
      fixture = await startK8sFixture({
        namespaces: [NAMESPACE, EKS_NAMESPACE],
        eks: { ...EKS, ...AWS_KEYS },
      });
      registerSecret(fixture.token);
      stack = await startStack({ K8SM_JOB_LEASE_SECONDS: '15' });
      ids.project = (await api('POST', '/projects', { name: 'shop' })).json.id;
      ids.pool = (await api('POST', '/runner-pools', { name: 'lab', project_id: ids.project })).json.id;
      const env = await api('POST', '/environments', {
        project_id: ids.project,
        name: 'dev',
        tier: 'development',
        runner_pool_id: ids.pool,
      });
      expect(env.status, env.text).toBe(201);
      ids.dev = env.json.id;
      const svc = await api('POST', '/services', {
        project_id: ids.project,
        name: 'web',
        k8s_manifest: MANIFEST,
        secret_variables: ['API_KEY'],
      });
      expect(svc.status, svc.text).toBe(201);
      ids.service = svc.json.id;
      await stack.startRunner(ids.pool, 'runner-k8s', {
        AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
        AWS_SECRET_ACCESS_KEY: AWS_KEYS.secret_access_key,
        // Nothing else of this machine's AWS setup may answer instead.
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      });
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
      await fixture?.stop();
    }, 60_000);

    it('imports the cluster by token, and its test-connection job on the runner records the server version', async () => {
      const imported = await api('POST', '/clusters/import', {
        project_id: ids.project,
        name: 'lab',
        runner_pool_id: ids.pool,
        mode: 'token',
        endpoint: fixture.url,
        ca: fixture.ca,
        token: fixture.token,
      });
      expect(imported.status, imported.text).toBe(201);
      expect(imported.json).toMatchObject({
        cluster_source: 'external_managed',
        mode: 'token',
        server: fixture.url,
        runner_pool_id: ids.pool,
        last_test: null,
      });
      ids.cluster = imported.json.id;

      const test = await api('POST', `/clusters/${ids.cluster}/test-connection`, {});
      expect(test.status, test.text).toBe(202);
      expect(test.json).toMatchObject({ status: 'queued' });
      const tested = await waitFor('no cluster test recorded', async () => {
        const c = await api('GET', `/clusters/${ids.cluster}`);
        return c.json.last_test ? c.json : undefined;
      });
      expect(tested.last_test).toMatchObject({
        reachable: true,
        version: fixture.gitVersion,
        error_code: null,
        job_id: test.json.job_id,
      });
      expect(tested.last_test.latency_ms).toBeGreaterThanOrEqual(0);
      expect(fixture.requests()).toContainEqual(
        expect.objectContaining({
          method: 'GET',
          path: '/version',
          user: 'system:serviceaccount:deploy:k8s-manage',
        }),
      );

      // A token the cluster did not issue: the import cannot know, the test says so.
      const wrong = await api('POST', '/clusters/import', {
        project_id: ids.project,
        name: 'lab-wrong-token',
        runner_pool_id: ids.pool,
        mode: 'token',
        endpoint: fixture.url,
        ca: fixture.ca,
        token: registerSecret(`${fixture.token}x`),
      });
      expect(wrong.status, wrong.text).toBe(201);
      await api('POST', `/clusters/${wrong.json.id}/test-connection`, {});
      const refused = await waitFor('no test of the wrong token recorded', async () => {
        const c = await api('GET', `/clusters/${wrong.json.id}`);
        return c.json.last_test ? c.json.last_test : undefined;
      });
      expect(refused).toMatchObject({ reachable: false, version: null, error_code: 'K8S_REJECTED' });

      const target = await api('POST', '/deploy/targets', {
        project_id: ids.project,
        environment_id: ids.dev,
        name: 'dev-web',
        runtime_type: 'k8s',
        cluster_id: ids.cluster,
        namespace: NAMESPACE,
      });
      expect(target.status, target.text).toBe(201);
      ids.target = target.json.id;
    });

    it('lands a release: the cluster holds our Deployment and Secret, runner steps are on the timeline, no secret comes back', async () => {
      const mark = fixture.requests().length;
      const id = await release('v1');
      const done = await waitRelease(id, ['applied', 'failed']);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');

      const web = stored('Deployment', 'web')!;
      expect(imageOfWeb()).toBe(`${REGISTRY}/web:v1`);
      expect(web.metadata.labels).toEqual({
        'app.kubernetes.io/managed-by': 'k8s-manage',
        'k8s-manage/target': ids.target,
        'k8s-manage/release': id,
      });
      expect(web.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['k8s-manage']);
      const patches = fixture
        .requests()
        .slice(mark)
        .filter((r) => r.method === 'PATCH');
      expect(patches.map((p) => p.path)).toEqual([
        `/api/v1/namespaces/${NAMESPACE}/secrets/web-env`,
        `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`,
      ]);
      // Every change came with the token the cluster was imported with.
      expect(patches.every((p) => p.user === 'system:serviceaccount:deploy:k8s-manage')).toBe(true);
      // The value did reach the cluster: the redaction below is not for want of anything to redact.
      expect(storedApiKey()).toBe(SECRET_B64);

      const items = await timeline(id);
      const steps = items.filter((e) => e.action === 'job.step_recorded');
      expect(steps.every((e) => e.source === 'runner')).toBe(true);
      const succeeded = steps.filter((e) => e.status === 'succeeded').map((e) => e.detail.step);
      expect(succeeded).toEqual(['k8s.connect', 'k8s.apply', 'k8s.rollout', 'k8s.prune']);
      expect(items.map((e) => e.action)).toContain('release.applied');
      expect(done.diagnostics_json).toMatchObject({
        objects: [
          { kind: 'Secret', name: 'web-env', action: 'created' },
          { kind: 'Deployment', name: 'web', action: 'created' },
        ],
        workloads: [{ kind: 'Deployment', name: 'web', ready: 2, desired: 2 }],
      });

      const answers = JSON.stringify([
        done,
        items,
        await api('GET', `/deploy/releases?target_id=${ids.target}`),
      ]);
      for (const s of [SECRET, SECRET_B64, fixture.token]) expect(answers).not.toContain(s);
      // The approver's view masks the value rather than dropping it.
      expect(JSON.stringify(done.diff)).toContain('***');
    });

    it('upgrades, then rolls back: the cluster holds the earlier image again', async () => {
      const up = await release('v2');
      expect((await waitRelease(up, ['applied', 'failed'])).lifecycle_state).toBe('applied');
      expect(imageOfWeb()).toBe(`${REGISTRY}/web:v2`);

      const rb = await api('POST', `/deploy/releases/${up}/rollback/preview`, {});
      expect(rb.status, rb.text).toBe(201);
      expect(rb.json.rollback_of).toBe(up);
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: rb.json.preview_ref });
      expect(ap.status, ap.text).toBe(202);
      const back = await waitRelease(rb.json.release_id, ['applied', 'failed']);
      expect(back.lifecycle_state, JSON.stringify(back.diagnostics_json)).toBe('applied');
      expect(imageOfWeb()).toBe(`${REGISTRY}/web:v1`);
      expect(stored('Deployment', 'web')!.metadata.labels['k8s-manage/release']).toBe(rb.json.release_id);
      // The rollback re-used the encrypted value of the release it returned to.
      expect(storedApiKey()).toBe(SECRET_B64);
      expect((await api('GET', `/deploy/releases/${up}`)).json.lifecycle_state).toBe('rollback');
      const answers = JSON.stringify([rb.json, back, await timeline(rb.json.release_id)]);
      for (const s of [SECRET, SECRET_B64]) expect(answers).not.toContain(s);
    });

    it('fails an image that never pulls with ROLLOUT_FAILED, ImagePullBackOff in the diagnostics', async () => {
      const id = await release('v3-missing');
      const done = await waitRelease(id, ['applied', 'failed']);
      expect(done.lifecycle_state).toBe('failed');
      const diag = done.diagnostics_json;
      expect(diag.error_code).toBe('ROLLOUT_FAILED');
      const containers = diag.pods.flatMap(
        (p: { containers: { ready: boolean; waiting_reason: string | null }[] }) => p.containers,
      );
      // The new template's two pods wait on the pull; the last good replicas keep running beside them.
      expect(containers.filter((c: { ready: boolean }) => !c.ready)).toEqual([
        expect.objectContaining({ waiting_reason: 'ImagePullBackOff' }),
        expect.objectContaining({ waiting_reason: 'ImagePullBackOff' }),
      ]);
      expect(containers.filter((c: { ready: boolean }) => c.ready)).toHaveLength(2);
      expect(diag.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'BackOff' }));
      expect(diag.message).toMatch(/Deployment\/web failed to roll out/);
      // The cluster was really asked for the image; a Deployment does not undo itself.
      expect(imageOfWeb()).toBe(`${REGISTRY}/web:v3-missing`);

      const items = await timeline(id);
      const rollout = items.find(
        (e) => e.action === 'job.step_recorded' && e.detail.step === 'k8s.rollout' && e.status === 'failed',
      );
      expect(rollout).toMatchObject({ source: 'runner', detail: { error_code: 'ROLLOUT_FAILED' } });
      expect(items.map((e) => e.action)).toContain('release.failed');
      const answers = JSON.stringify([done, items]);
      for (const s of [SECRET, SECRET_B64]) expect(answers).not.toContain(s);
    });

    it('imports an EKS kubeconfig as mode eks and lands a release with a token the runner minted itself', async () => {
      const kubeconfig = stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'eks',
            cluster: {
              server: fixture.url,
              'certificate-authority-data': Buffer.from(fixture.ca).toString('base64'),
            },
          },
        ],
        users: [
          {
            name: 'eks',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: 'aws',
                args: ['--region', EKS.region, 'eks', 'get-token', '--cluster-name', EKS.cluster_name],
              },
            },
          },
        ],
        contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'eks' } }],
        'current-context': 'eks',
      });
      const imported = await api('POST', '/clusters/import', {
        project_id: ids.project,
        name: 'lab-eks',
        runner_pool_id: ids.pool,
        mode: 'kubeconfig',
        kubeconfig,
      });
      expect(imported.status, imported.text).toBe(201);
      expect(imported.json).toMatchObject({ mode: 'eks', metadata: { eks: EKS } });
      await api('POST', `/clusters/${imported.json.id}/test-connection`, {});
      const tested = await waitFor('no EKS cluster test recorded', async () => {
        const c = await api('GET', `/clusters/${imported.json.id}`);
        return c.json.last_test ? c.json.last_test : undefined;
      });
      expect(tested).toMatchObject({ reachable: true, version: fixture.gitVersion, error_code: null });

      const target = await api('POST', '/deploy/targets', {
        project_id: ids.project,
        environment_id: ids.dev,
        name: 'dev-web-eks',
        runtime_type: 'k8s',
        cluster_id: imported.json.id,
        namespace: EKS_NAMESPACE,
      });
      expect(target.status, target.text).toBe(201);
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: ids.service,
        target_id: target.json.id,
        variables: { TAG: 'eks1', API_KEY: SECRET },
      });
      expect(pv.status, pv.text).toBe(201);
      const mark = fixture.requests().length;
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
      expect(ap.status, ap.text).toBe(202);
      const done = await waitRelease(ap.json.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
      const patches = fixture
        .requests()
        .slice(mark)
        .filter((r) => r.method === 'PATCH');
      expect(patches.map((p) => p.path)).toContain(
        `/apis/apps/v1/namespaces/${EKS_NAMESPACE}/deployments/web`,
      );
      // Every change came as the AWS identity of the runner's environment, through a token it signed.
      expect(patches.every((p) => p.user?.endsWith(`/${AWS_KEYS.access_key_id}`))).toBe(true);
      expect(fixture.eksVerdicts().length).toBeGreaterThan(0);
      expect(fixture.eksVerdicts().every((v) => v.ok)).toBe(true);
      const answers = JSON.stringify([done, await timeline(ap.json.release_id), stack.runners[0]?.stderr()]);
      expect(answers).not.toContain('k8s-aws-v1.');
      expect(answers).not.toContain(AWS_KEYS.secret_access_key);
    });
  },
);
