import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { type K8sFixture, startK8sFixture } from '../test/peers/k8s-fixture/server';
import { machine } from './machine';
import { type BenchPlatform, startBenchPlatform } from './platform';
import { alternate, comparison, type Sample, timedRelease } from './release-timing';
import { fmt, median } from './stats';

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

/**
 * kubectl's rollout status verdict for a Deployment (its DeploymentStatusViewer): the generation
 * observed, every replica updated, no old replica left, every updated one available. The old
 * replicas matter: the fixture keeps the previous template's pods serving for one read after the
 * new ones are available, as a real rollout does until the old ReplicaSet is scaled down.
 */
function kubectlRolledOut(d: any): boolean {
  const s = d.status ?? {};
  const n = (v: number | undefined) => v ?? 0;
  return (
    n(s.observedGeneration) >= d.metadata.generation &&
    n(s.updatedReplicas) >= d.spec.replicas &&
    n(s.replicas) <= n(s.updatedReplicas) &&
    n(s.availableReplicas) >= n(s.updatedReplicas)
  );
}

/** `kubectl apply --server-side --force-conflicts` of both objects, then `kubectl rollout status`. */
async function bareRelease(fx: K8sFixture, round: string): Promise<number> {
  const t0 = performance.now();
  for (const o of objects(round))
    await k8s(fx, 'PATCH', `${o.path}?fieldManager=bench-bare&force=true`, o.body);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const d = await k8s(fx, 'GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`);
    if (kubectlRolledOut(d)) return performance.now() - t0;
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
    const b = report.bare;
    // What the platform adds: each run's wall time less the runner's time in the cluster.
    const inCluster = (x: Sample) =>
      ['k8s.connect', 'k8s.apply', 'k8s.rollout', 'k8s.prune'].reduce((t, n) => t + (x.steps[n] ?? 0), 0);
    const platformMs = median(oursRuns.map((x) => x.ms - inCluster(x)));
    const floor = (b + platformMs) / b;
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
rolled out as kubectl judges it (the generation observed, every replica updated and available, no
old replica left). ${opts.warmup} untimed run(s) of each, then ${opts.runs} of each, alternating which goes first; medians.

${report.markdown}
What the platform adds (each run's wall time less the runner's time in the cluster: connect,
apply, rollout, prune; median): **${fmt(platformMs, 0)} ms**. Were the runner's cluster work exactly
as long as the bare path, the release would still take ${fmt(floor, 2)}× it: ${AIM}× needs the platform's
share within ${fmt((AIM - 1) * 100, 0)}% of the bare path. That share is the governed path, none of which the
bare path has: the mandatory preview (render, validate, diff against the running revision, risk,
the revision and secret values sealed in an envelope), the apply (policy, the target's lock, the
job and its audit events), the claim (the release moves to applying, the work order is built with
its credentials opened and sealed to the runner's key), a step report at each step's start and end
(each with its audit event) and the completion (the release moves to applied, with its audit
event and revision digest). The cluster side matches the bare path: the rollout wait reads every
${BARE_POLL_MS} ms for its first two seconds (it used to double from the first read: 300 ms of sleep where
three reads need 200), every request of a job goes over a kept-alive connection (the client library
opened a new TLS connection per request), the diagnostics reuse the wait's last reads, and a job's
completion carries the steps still queued at its end (one round trip, not one per step and one
more). The bare path judges the rollout as kubectl does, old replicas included, which takes the
fixture the same three reads as ours; an earlier version of this bench stopped one read early,
while the old pods still served. The platform's share is statements, not code: a CPU profile of
the server over 20 runs (December 2026) put 60–70% of its busy time in the embedded database
(PGlite's WASM, its JS and its file writes), about 10% in drizzle and under 6% in the API's own
code; each step report, for one, is a transaction with its audit event.
`;
  } finally {
    await platform?.stop();
    await fixture?.stop();
  }
}
