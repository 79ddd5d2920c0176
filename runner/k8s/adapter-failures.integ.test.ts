/**
 * How the Kubernetes adapter fails, against a fixture that speaks the Kubernetes API wire contract
 * over TLS (test/peers/k8s-fixture) since no real API server can run where these tests run: local
 * refusals before anything is sent, the server's own refusals, rollouts that cannot finish, and
 * what never leaves the runner (secret values, Secret data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configMap,
  deployment,
  docs,
  finalSteps,
  recordingContext,
  releaseWork,
} from '../../test/peers/k8s-fixture/harness';
import { type K8sFixture, startK8sFixture } from '../../test/peers/k8s-fixture/server';
import { recordResponse, registerSecret } from '../../test/support/leak-guard';
import { applyK8s } from './adapter';

const FAST = { pollMs: 5, rolloutTimeoutMs: 5_000 };
let f: K8sFixture;

beforeAll(async () => {
  f = await startK8sFixture({ namespaces: ['local', 'server', 'pull', 'crash', 'secret', 'stop'] });
});
afterAll(() => f?.stop());

const since = (n: number) => f.requests().slice(n);
const inNamespace = (ns: string) => f.objects().filter((o) => o.metadata.namespace === ns);

describe('refused before anything is sent', () => {
  it.each([
    ['another namespace', configMap('elsewhere', 'kube-system'), /is for namespace "kube-system"/],
    [
      'a cluster-scoped kind',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: admin2\n',
      /ClusterRole\/admin2 is cluster-scoped/,
    ],
    [
      'a kind the cluster does not serve',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  namespace: local\n',
      /does not serve monitoring.coreos.com\/v1 ServiceMonitor/,
    ],
  ])('refuses %s with K8S_REJECTED and changes nothing', async (_, doc, message) => {
    const mark = f.requests().length;
    const ctx = recordingContext();
    // A valid document first: it must not be applied either.
    const rendered = docs(configMap('fine', 'local'), doc);
    const report = await applyK8s(releaseWork(f, { namespace: 'local', rendered }), ctx, FAST);

    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(report.diagnostics?.message).toMatch(message);
    expect(since(mark).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(since(mark).some((r) => r.path.includes('/namespaces/kube-system'))).toBe(false);
    expect(inNamespace('local')).toEqual([]);
    expect(finalSteps(ctx.reports)['k8s.apply']).toMatchObject({
      status: 'failed',
      error_code: 'K8S_REJECTED',
    });
  });
});

describe("the server's refusals", () => {
  it("reports a 4xx as K8S_REJECTED with the server's Status message, after the documents before it", async () => {
    const broken = deployment('web', 'server', 'registry.local/web:1').replace(
      '      labels:\n        app: web',
      '      labels:\n        app: other',
    );
    const ctx = recordingContext();
    const report = await applyK8s(
      releaseWork(f, { namespace: 'server', rendered: docs(configMap('cfg', 'server'), broken) }),
      ctx,
      FAST,
    );

    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(report.diagnostics?.message).toContain('`selector` does not match template `labels`');
    expect(report.diagnostics?.objects).toEqual([
      { kind: 'ConfigMap', name: 'cfg', action: 'created' },
      { kind: 'Deployment', name: 'web', action: 'rejected' },
    ]);
    expect(finalSteps(ctx.reports)['k8s.rollout']).toBeUndefined();
  });

  it('redacts secret values from what the server says back', async () => {
    const secret = registerSecret('hunter2-very-secret-password');
    f.setFailure({
      deny: { kind: 'ConfigMap', name: 'dsn', message: `plaintext credential "${secret}" found` },
    });
    try {
      const ctx = recordingContext();
      const rendered = configMap('dsn', 'server', { url: `postgres://app:${secret}@db/app` });
      const report = await applyK8s(
        releaseWork(f, { namespace: 'server', rendered, secrets: [secret] }),
        ctx,
        FAST,
      );
      const everything = JSON.stringify([report, ctx.reports]);
      recordResponse(everything);

      expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
      expect(report.diagnostics?.message).toContain('denied the request: plaintext credential "***" found');
      expect(everything).not.toContain(secret);
    } finally {
      f.setFailure({ deny: null });
    }
  });
});

describe('rollouts that cannot finish', () => {
  it('fails an ImagePullBackOff with ROLLOUT_FAILED once the progress deadline passes, naming the reason', async () => {
    const ctx = recordingContext();
    const rendered = deployment('web', 'pull', 'registry.local/web:missing');
    const report = await applyK8s(releaseWork(f, { namespace: 'pull', rendered }), ctx, FAST);

    expect(report).toMatchObject({ status: 'failed', error_code: 'ROLLOUT_FAILED' });
    const step = finalSteps(ctx.reports)['k8s.rollout'];
    expect(step).toMatchObject({ status: 'failed', error_code: 'ROLLOUT_FAILED' });
    expect(step?.output).toContain('has timed out progressing');
    expect(step?.output).toMatch(/pod web-\w+-\w+: container web waiting: ImagePullBackOff/);
    const d = report.diagnostics as any;
    expect(d.pods).toHaveLength(2);
    expect(d.pods[0].containers).toEqual([
      { name: 'web', ready: false, waiting_reason: 'ImagePullBackOff', restart_count: 0 },
    ]);
    expect(d.workloads[0].conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }),
    );
    expect(d.events).toContainEqual(
      expect.objectContaining({
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off pulling image "registry.local/web:missing"',
      }),
    );
    expect(finalSteps(ctx.reports)['k8s.prune']).toBeUndefined();
  });

  it('times out a CrashLoopBackOff that never hits a deadline with TIMEOUT, naming the reason', async () => {
    f.setFailure({ failAfterPolls: 1_000_000 });
    try {
      const ctx = recordingContext();
      const rendered = deployment('worker', 'crash', 'registry.local/worker:crash', 1);
      const started = Date.now();
      const report = await applyK8s(releaseWork(f, { namespace: 'crash', rendered }), ctx, {
        pollMs: 20,
        rolloutTimeoutMs: 300,
      });

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(report).toMatchObject({ status: 'failed', error_code: 'TIMEOUT' });
      const step = finalSteps(ctx.reports)['k8s.rollout'];
      expect(step?.output).toMatch(/container worker waiting: CrashLoopBackOff \(\d+ restarts\)/);
      expect((report.diagnostics as any).pods[0].containers[0]).toMatchObject({
        waiting_reason: 'CrashLoopBackOff',
      });
    } finally {
      f.setFailure({ failAfterPolls: 3 });
    }
  });

  it('stops waiting when the job is aborted', async () => {
    f.setFailure({ readyAfterPolls: 1_000_000 });
    try {
      const ctx = recordingContext();
      setTimeout(() => ctx.controller.abort(), 100);
      const rendered = deployment('slow', 'stop', 'registry.local/slow:1', 1);
      const report = await applyK8s(releaseWork(f, { namespace: 'stop', rendered }), ctx, { pollMs: 10 });
      expect(report).toMatchObject({ status: 'failed', error_code: 'TIMEOUT' });
      expect(report.diagnostics?.message).toMatch(/cancelled or lost its lease/);
    } finally {
      f.setFailure({ readyAfterPolls: 2 });
    }
  });
});

describe('what never leaves the runner', () => {
  it("keeps a Secret's data out of diagnostics and step reports, on success and on failure", async () => {
    const password = registerSecret('s3cr3t-db-password-value');
    const apiKey = registerSecret('api-key-9f8e7d6c5b4a');
    const encoded = Buffer.from(password).toString('base64');
    const secretDoc = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: secret\ntype: Opaque\ndata:\n  password: ${encoded}\nstringData:\n  api-key: ${apiKey}\n`;
    for (const image of ['registry.local/app:1', 'registry.local/app:missing']) {
      const ctx = recordingContext();
      const rendered = docs(secretDoc, deployment('app', 'secret', image, 1));
      const report = await applyK8s(releaseWork(f, { namespace: 'secret', rendered }), ctx, FAST);
      const everything = JSON.stringify([report, ctx.reports]);
      recordResponse(everything);

      for (const value of [password, encoded, apiKey, Buffer.from(apiKey).toString('base64')])
        expect(everything).not.toContain(value);
      expect(report.diagnostics?.objects).toContainEqual({
        kind: 'Secret',
        name: 'creds',
        action: expect.any(String),
      });
    }
    // It did reach the cluster: the check above is not vacuous.
    const stored = f.objects().find((o) => o.kind === 'Secret' && o.metadata.name === 'creds') as any;
    expect(Buffer.from(stored.data.password, 'base64').toString()).toBe(password);
  });

  it('redacts the values inside Secret documents even when no secret variable produced them', async () => {
    const token = registerSecret('literal-token-in-template-77aa');
    const doc = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: literal\n  namespace: secret\nstringData:\n  token: ${token}\n`;
    f.setFailure({ deny: { kind: 'Secret', name: 'literal', message: `token ${token} is on a deny list` } });
    try {
      const ctx = recordingContext();
      const report = await applyK8s(releaseWork(f, { namespace: 'secret', rendered: doc }), ctx, FAST);
      const everything = JSON.stringify([report, ctx.reports]);
      recordResponse(everything);
      expect(report.diagnostics?.message).toContain('token *** is on a deny list');
      expect(everything).not.toContain(token);
    } finally {
      f.setFailure({ deny: null });
    }
  });
});
