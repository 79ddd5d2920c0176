/**
 * A Kubernetes target's status read from the fixture that speaks the Kubernetes API over TLS
 * (test/peers/k8s-fixture: no real API server can run where these tests run). Releases are applied
 * with the real adapter first, so the status reads exactly what a release left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetStatusResult, type TargetStatusWork, targetHealth } from '../../shared/jobs/target-status';
import {
  deployment,
  finalSteps,
  recordingContext,
  releaseWork,
  tokenAccess,
} from '../../test/peers/k8s-fixture/harness';
import { type K8sFixture, startK8sFixture } from '../../test/peers/k8s-fixture/server';
import { applyK8s } from '../k8s/adapter';
import { readK8sStatus } from './k8s';

const FAST = { pollMs: 5, rolloutTimeoutMs: 5_000 };
let f: K8sFixture;

beforeAll(async () => {
  f = await startK8sFixture({ namespaces: ['status'] });
  const release = async (targetId: string, name: string, image: string) =>
    applyK8s(
      releaseWork(f, { namespace: 'status', targetId, rendered: deployment(name, 'status', image, 3) }),
      recordingContext(),
      FAST,
    );
  expect((await release('tg-status', 'web', 'registry.local/web:1')).status).toBe('succeeded');
  // Another target's workload in the same namespace is not this target's status.
  expect((await release('tg-other', 'other', 'registry.local/other:1')).status).toBe('succeeded');
  // A release whose image never pulls: its rollout failed, and the workload stays so.
  expect((await release('tg-broken', 'broken', 'registry.local/missing:1')).status).toBe('failed');
});
afterAll(() => f?.stop());

const statusWork = (targetId: string, cluster = tokenAccess(f)): TargetStatusWork => ({
  kind: 'target_status',
  target: { id: targetId, runtime_type: 'k8s', namespace: 'status', compose_project: null },
  hosts: [],
  cluster,
});

describe('k8s target status', () => {
  it("lists the target's workloads with ready/desired replicas and rollout, and is healthy", async () => {
    const ctx = recordingContext();
    const report = await readK8sStatus(statusWork('tg-status'), ctx);
    expect(report.status).toBe('succeeded');
    const result = TargetStatusResult.parse(report.result);
    expect(result.workloads).toEqual([
      { kind: 'Deployment', name: 'web', ready: 3, desired: 3, rollout: 'complete', message: '3/3 ready' },
    ]);
    expect(targetHealth(result)).toBe('healthy');
    expect(Object.values(finalSteps(ctx.reports)).map((s) => [s.name, s.status])).toEqual([
      ['k8s.connect', 'succeeded'],
      ['k8s.status', 'succeeded'],
    ]);
    const list = f.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));
    expect(list.at(-1)?.query).toEqual({
      labelSelector: 'app.kubernetes.io/managed-by=k8s-manage,k8s-manage/target=tg-status',
    });
  });

  it('is degraded when a workload failed to roll out, naming the condition', async () => {
    const result = TargetStatusResult.parse(
      (await readK8sStatus(statusWork('tg-broken'), recordingContext())).result,
    );
    expect(result.workloads).toMatchObject([{ kind: 'Deployment', name: 'broken', rollout: 'failed' }]);
    expect(result.workloads?.[0]?.ready).toBeLessThan(3);
    expect(targetHealth(result)).toBe('degraded');
  });

  it('fails with K8S_REJECTED for a token the cluster refuses, without the token', async () => {
    const token = 'refused-token-0123456789abcdef';
    const report = await readK8sStatus(
      statusWork('tg-status', tokenAccess(f, { auth: { kind: 'token', token } })),
      recordingContext(),
    );
    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(JSON.stringify(report)).not.toContain(token);
  });
});
