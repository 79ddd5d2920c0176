import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { type K8sFixture, startK8sFixture } from '../test/peers/k8s-fixture/server';
import { machine } from './machine';
import { type BenchPlatform, startBenchPlatform } from './platform';
import { alternate, comparison, timedRelease } from './release-timing';

export type ReleaseK8sOptions = { runs: number; warmup: number };

/** Issue 20: preview → applied within this many times a bare server-side apply + rollout wait. */
const AIM = 1.5;
const NAMESPACE = 'bench';
/** How often the bare path reads the Deployment, as `kubectl rollout status` would see a change. */
const BARE_POLL_MS = 100;

/** A Secret and a Deployment of two replicas; ROUND changes every run, so each run is a rollout. */
const MANIFEST = `apiVersion: v1
kind: Secret
metadata:
  name: web-env
type: Opaque
stringData:
  ROUND: "\${ROUND}"
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
      annotations:
        round: "\${ROUND}"
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/web:v1
          envFrom:
            - secretRef:
                name: web-env
`;

function objects(round: string) {
  const labels = { app: 'web' };
  return [
    {
      path: `/api/v1/namespaces/${NAMESPACE}/secrets/web-env`,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'web-env', namespace: NAMESPACE },
        type: 'Opaque',
        stringData: { ROUND: round },
      },
    },
    {
      path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: NAMESPACE },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { round } },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: '127.0.0.1:5000/web:v1',
                  envFrom: [{ secretRef: { name: 'web-env' } }],
                },
              ],
            },
          },
        },
      },
    },
  ];
}

/** One HTTPS request to the fixture with its bearer token and CA, as kubectl would send it. */
function k8s(fx: K8sFixture, method: string, path: string, body?: unknown): Promise<any> {
  const url = new URL(path, fx.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: fx.ca,
        headers: {
          authorization: `Bearer ${fx.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/apply-patch+yaml' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d;
        });
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve(JSON.parse(text))
            : reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** `kubectl apply --server-side --force-conflicts` of both objects, then `kubectl rollout status`. */
async function bareRelease(fx: K8sFixture, round: string): Promise<number> {
  const t0 = performance.now();
  for (const o of objects(round))
    await k8s(fx, 'PATCH', `${o.path}?fieldManager=bench-bare&force=true`, o.body);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const d = await k8s(fx, 'GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`);
    const s = d.status ?? {};
    if (
      s.observedGeneration >= d.metadata.generation &&
      s.updatedReplicas === d.spec.replicas &&
      s.availableReplicas === d.spec.replicas
    )
      return performance.now() - t0;
    await sleep(BARE_POLL_MS);
  }
  throw new Error('the bare rollout did not finish in 60 s');
}

export async function releaseK8sBench(opts: ReleaseK8sOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  let fixture: K8sFixture | undefined;
  let platform: BenchPlatform | undefined;
  try {
    fixture = await startK8sFixture({ namespaces: [NAMESPACE] });
    platform = await startBenchPlatform('k8s');
    const { api, project, pool } = platform;
    const cluster = (
      await api('POST', '/clusters/import', {
        project_id: project,
        name: 'bench',
        runner_pool_id: pool,
        mode: 'token',
        endpoint: fixture.url,
        ca: fixture.ca,
        token: fixture.token,
      })
    ).json.id;
    const { target, service } = await platform.webService(
      { runtime_type: 'k8s', cluster_id: cluster, namespace: NAMESPACE },
      { k8s_manifest: MANIFEST },
    );
    const runner = await platform.startRunner('bench');

    let round = 0;
    const ours = () => {
      round += 1;
      return timedRelease(api, runner, {
        service,
        target,
        variables: { ROUND: `ours-${round}` },
        timeoutMs: 120_000,
      });
    };
    const bare = async () => {
      round += 1;
      return { ms: await bareRelease(fixture!, `bare-${round}`) };
    };

    const { bareRuns, oursRuns } = await alternate(opts, bare, ours);
    const report = comparison('bare server-side apply + rollout wait', AIM, bareRuns, oursRuns);
    return `## A Kubernetes release, preview → applied, vs a bare server-side apply + rollout wait (\`release-k8s\`)

Measured ${started} on ${where}.
Reproduce: \`npm run bench -- release-k8s\`.

One platform (\`npm start\` on the embedded database) and one runner process (\`npm run runner\`);
the cluster is the Kubernetes API fixture of the tests (test/peers/k8s-fixture: real TLS, bearer
token, server-side apply; each read of a Deployment is one tick of its simulated rollout, ready
after a few reads), in the bench's process. The service is a Secret and a two-replica Deployment;
each run changes one value, so every run is a rollout. "Ours" is the wall time from
\`POST /deploy/releases/preview\` to \`GET /deploy/releases/{id}\` answering \`applied\` (polled every
25 ms); "bare" is what \`kubectl apply --server-side --force-conflicts\` and \`kubectl rollout status\`
send: one apply PATCH per object, then reads of the Deployment every ${BARE_POLL_MS} ms until it is
rolled out. ${opts.warmup} untimed run(s) of each, then ${opts.runs} of each, alternating which goes first; medians.

${report.markdown}`;
  } finally {
    await platform?.stop();
    await fixture?.stop();
  }
}
