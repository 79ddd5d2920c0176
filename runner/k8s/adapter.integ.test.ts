/**
 * The Kubernetes adapter against a fixture that speaks the Kubernetes API wire contract over TLS
 * (test/peers/k8s-fixture): no real API server can run where these tests run, so the fixture
 * implements exactly the endpoints the adapter calls, simulates rollouts, and refuses what a real
 * server refuses. Failure paths are in adapter-failures.integ.test.ts.
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
import { applyK8s } from './adapter';

const FAST = { pollMs: 5, rolloutTimeoutMs: 5_000 };
let f: K8sFixture;

beforeAll(async () => {
  f = await startK8sFixture({ namespaces: ['apply', 'wait', 'prune', 'rollback'] });
});
afterAll(() => f?.stop());

const stored = (ns: string, kind: string, name: string) =>
  f.objects().find((o) => o.metadata.namespace === ns && o.kind === kind && o.metadata.name === name);
const since = (n: number) => f.requests().slice(n);
const imageOf = (ns: string, name: string) =>
  (stored(ns, 'Deployment', name)?.spec as any)?.template.spec.containers[0].image;

describe('apply', () => {
  it('server-side applies every document in order with our field manager and labels', async () => {
    const mark = f.requests().length;
    const ctx = recordingContext();
    const work = releaseWork(f, {
      namespace: 'apply',
      releaseId: 'rel-1',
      rendered: docs(configMap('web-config', 'apply'), deployment('web', 'apply', 'registry.local/web:1')),
    });
    const report = await applyK8s(work, ctx, FAST);

    expect(report.status).toBe('succeeded');
    const patches = since(mark).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual([
      '/api/v1/namespaces/apply/configmaps/web-config',
      '/apis/apps/v1/namespaces/apply/deployments/web',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query).toEqual({ fieldManager: 'k8s-manage', force: 'true' });
    }
    const web = stored('apply', 'Deployment', 'web')!;
    expect(web.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'k8s-manage',
      'k8s-manage/target': 'tg-1',
      'k8s-manage/release': 'rel-1',
    });
    expect(web.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['k8s-manage']);
    expect(Object.values(finalSteps(ctx.reports)).map((s) => [s.name, s.status])).toEqual([
      ['k8s.connect', 'succeeded'],
      ['k8s.apply', 'succeeded'],
      ['k8s.rollout', 'succeeded'],
      ['k8s.prune', 'succeeded'],
    ]);
    expect(report.diagnostics?.objects).toEqual([
      { kind: 'ConfigMap', name: 'web-config', action: 'created' },
      { kind: 'Deployment', name: 'web', action: 'created' },
    ]);
    expect(report.diagnostics?.workloads).toMatchObject([
      { kind: 'Deployment', name: 'web', ready: 2, desired: 2 },
    ]);
    expect(report.result).toMatchObject({ server_version: f.gitVersion, applied: 2, created: 2, pruned: 0 });
  });

  it('sends the requests of a release over kept-alive connections, and closes them at the end', async () => {
    const before = f.connections();
    const mark = f.requests().length;
    const work = releaseWork(f, {
      namespace: 'apply',
      rendered: docs(configMap('one-conn', 'apply'), deployment('one-conn', 'apply', 'registry.local/web:1')),
    });
    expect((await applyK8s(work, recordingContext(), FAST)).status).toBe('succeeded');
    // version, discovery, two applies, the rollout reads, the diagnostics' lists
    expect(since(mark).length).toBeGreaterThanOrEqual(8);
    // One connection, and a second while the diagnostics read two lists at once.
    expect(f.connections().opened - before.opened).toBeLessThanOrEqual(2);
    await expect.poll(() => f.connections().open).toBe(before.open);
  });

  it('sends fields the client library has no model for (its typed serializer would drop them)', async () => {
    const rendered = deployment('extra', 'apply', 'registry.local/web:1').replace(
      'image: registry.local/web:1',
      'image: registry.local/web:1\n          futureField: kept',
    );
    const report = await applyK8s(releaseWork(f, { namespace: 'apply', rendered }), recordingContext(), FAST);
    expect(report.status).toBe('succeeded');
    expect(
      (stored('apply', 'Deployment', 'extra')!.spec as any).template.spec.containers[0].futureField,
    ).toBe('kept');
  });
});

describe('strategy', () => {
  const strategyOf = (name: string) => (stored('apply', 'Deployment', name)?.spec as any)?.strategy;

  it('sends a recreate release as a Recreate Deployment, and a later rolling release takes it away', async () => {
    const recreate = releaseWork(f, {
      namespace: 'apply',
      rendered: deployment('rec', 'apply', 'registry.local/web:1'),
    });
    recreate.release = { ...recreate.release, strategy: 'recreate' };
    expect((await applyK8s(recreate, recordingContext(), FAST)).status).toBe('succeeded');
    expect(strategyOf('rec')).toEqual({ type: 'Recreate' });

    const rolling = releaseWork(f, {
      namespace: 'apply',
      rendered: deployment('rec', 'apply', 'registry.local/web:2'),
      previous: recreate.rendered,
    });
    expect((await applyK8s(rolling, recordingContext(), FAST)).status).toBe('succeeded');
    expect(strategyOf('rec')?.type).not.toBe('Recreate');
  });
});

describe('rollout', () => {
  it('waits for the new generation to be observed and the old replicas to go before succeeding', async () => {
    f.setFailure({ readyAfterPolls: 4 });
    try {
      const path = '/apis/apps/v1/namespaces/wait/deployments/api';
      const first = releaseWork(f, {
        namespace: 'wait',
        rendered: deployment('api', 'wait', 'registry.local/api:1'),
      });
      expect((await applyK8s(first, recordingContext(), FAST)).status).toBe('succeeded');

      const mark = f.requests().length;
      const ctx = recordingContext();
      const second = releaseWork(f, {
        namespace: 'wait',
        rendered: deployment('api', 'wait', 'registry.local/api:2'),
        previous: first.rendered,
      });
      const report = await applyK8s(second, ctx, FAST);

      expect(report.status).toBe('succeeded');
      expect(report.diagnostics?.objects).toEqual([
        { kind: 'Deployment', name: 'api', action: 'configured' },
      ]);
      // One read that still shows the old generation, four until ready; the diagnostics use the last.
      expect(since(mark).filter((r) => r.method === 'GET' && r.path === path)).toHaveLength(5);
      expect(finalSteps(ctx.reports)['k8s.rollout']?.output).toBe('Deployment/api: 2/2 ready');
      expect(report.diagnostics?.pods).toHaveLength(2);
      expect(report.diagnostics?.events).toContainEqual(
        expect.objectContaining({ reason: 'ScalingReplicaSet', object: 'Deployment/api' }),
      );
    } finally {
      f.setFailure({ readyAfterPolls: 2 });
    }
  });

  it('waits for StatefulSets and DaemonSets as well', async () => {
    const as = (kind: string, name: string) =>
      deployment(name, 'wait', `registry.local/${name}:1`, 1)
        .replace('kind: Deployment', `kind: ${kind}`)
        .replace('  replicas: 1\n', kind === 'DaemonSet' ? '' : '  replicas: 1\n');
    const rendered = docs(as('StatefulSet', 'db'), as('DaemonSet', 'agent'));
    const ctx = recordingContext();
    const report = await applyK8s(releaseWork(f, { namespace: 'wait', rendered }), ctx, FAST);

    expect(report.status).toBe('succeeded');
    expect(finalSteps(ctx.reports)['k8s.rollout']?.output).toBe(
      'StatefulSet/db: 1/1 ready\nDaemonSet/agent: 1/1 ready',
    );
    expect(report.diagnostics?.workloads).toMatchObject([
      { kind: 'StatefulSet', name: 'db', ready: 1, desired: 1 },
      { kind: 'DaemonSet', name: 'agent', ready: 1, desired: 1 },
    ]);
  });
});

describe('prune', () => {
  it('deletes what the previous revision had and this one drops, never an object without our labels', async () => {
    // Made by hand (kubectl) under a name the previous revision also used.
    f.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'handmade', namespace: 'prune' },
      data: {},
    });
    // Ours, but for another target sharing the namespace.
    const other = releaseWork(f, {
      namespace: 'prune',
      targetId: 'tg-other',
      rendered: configMap('theirs', 'prune'),
    });
    expect((await applyK8s(other, recordingContext(), FAST)).status).toBe('succeeded');

    const first = releaseWork(f, {
      namespace: 'prune',
      rendered: docs(
        configMap('keep', 'prune'),
        configMap('legacy', 'prune'),
        deployment('old-worker', 'prune', 'registry.local/worker:1', 1),
      ),
    });
    expect((await applyK8s(first, recordingContext(), FAST)).status).toBe('succeeded');
    // What the platform says ran before also names the two objects that are not ours now.
    const previous = docs(
      configMap('keep', 'prune'),
      configMap('legacy', 'prune'),
      configMap('handmade', 'prune'),
      configMap('theirs', 'prune'),
      deployment('old-worker', 'prune', 'registry.local/worker:1', 1),
    );

    const mark = f.requests().length;
    const ctx = recordingContext();
    const second = releaseWork(f, { namespace: 'prune', rendered: configMap('keep', 'prune'), previous });
    const report = await applyK8s(second, ctx, FAST);

    expect(report.status).toBe('succeeded');
    const names = (ns: string) =>
      f
        .objects()
        .filter((o) => o.metadata.namespace === ns)
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .sort();
    expect(names('prune')).toEqual(['ConfigMap/handmade', 'ConfigMap/keep', 'ConfigMap/theirs']);
    expect(
      since(mark)
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path),
    ).toEqual([
      '/api/v1/namespaces/prune/configmaps/legacy',
      '/apis/apps/v1/namespaces/prune/deployments/old-worker',
    ]);
    expect(report.diagnostics?.objects).toEqual([
      { kind: 'ConfigMap', name: 'keep', action: 'configured' },
      { kind: 'ConfigMap', name: 'legacy', action: 'pruned' },
      { kind: 'ConfigMap', name: 'handmade', action: 'kept' },
      { kind: 'ConfigMap', name: 'theirs', action: 'kept' },
      { kind: 'Deployment', name: 'old-worker', action: 'pruned' },
    ]);
    expect(finalSteps(ctx.reports)['k8s.prune']?.output).toContain(
      'ConfigMap/handmade: not labelled as managed by',
    );
    expect(report.result).toMatchObject({ pruned: 2 });
  });
});

describe('rollback', () => {
  it('re-applies the previous revision, bringing the previous image back', async () => {
    const v1 = deployment('shop', 'rollback', 'registry.local/shop:1');
    const v2 = deployment('shop', 'rollback', 'registry.local/shop:2');
    const w1 = releaseWork(f, { namespace: 'rollback', rendered: v1 });
    expect((await applyK8s(w1, recordingContext(), FAST)).status).toBe('succeeded');
    expect(
      (
        await applyK8s(
          releaseWork(f, { namespace: 'rollback', rendered: v2, previous: v1 }),
          recordingContext(),
          FAST,
        )
      ).status,
    ).toBe('succeeded');
    expect(imageOf('rollback', 'shop')).toBe('registry.local/shop:2');

    const back = releaseWork(f, {
      namespace: 'rollback',
      rendered: v1,
      previous: v2,
      releaseId: 'rel-back',
      rollbackOf: w1.release.release_id,
    });
    const report = await applyK8s(back, recordingContext(), FAST);

    expect(report.status).toBe('succeeded');
    const shop = stored('rollback', 'Deployment', 'shop')!;
    expect(imageOf('rollback', 'shop')).toBe('registry.local/shop:1');
    expect(shop.metadata.generation).toBe(3);
    expect(shop.metadata.labels['k8s-manage/release']).toBe('rel-back');
    expect(report.diagnostics?.workloads).toMatchObject([{ name: 'shop', ready: 2, desired: 2 }]);
  });
});
