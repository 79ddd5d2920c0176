/**
 * A Kubernetes target's status: the Deployments, StatefulSets and DaemonSets in its namespace that
 * carry k8s-manage's labels for this target (what its releases applied), each with ready/desired
 * replicas and its rollout judged the way a release's wait judges it (`rolloutState`).
 */
import type { CompleteReport } from '../../shared/jobs/kinds';
import type { TargetStatusWork, WorkloadStatus } from '../../shared/jobs/target-status';
import { redact, redactDeep } from '../jobs/redact';
import { type RunContext, runStep, StepError } from '../jobs/steps';
import { type K8sClients, k8sStepError } from '../k8s/client';
import { connectCluster, credentialValues } from '../k8s/connect';
import { MANAGED_BY, MANAGER, TARGET_LABEL } from '../k8s/manifest';
import { rolloutState, type WorkloadObject } from '../k8s/rollout';

const MESSAGE_MAX = 600;

export async function readK8sStatus(
  work: TargetStatusWork,
  ctx: RunContext,
  opts: { requestTimeoutMs?: number } = {},
): Promise<CompleteReport> {
  const namespace = work.target.namespace ?? '';
  const secrets = credentialValues(work.cluster);
  const r = (s: string) => redact(s, secrets);
  const step = <T>(name: string, fn: () => Promise<T>, output: (v: T) => string) =>
    runStep(
      ctx,
      name,
      async () => {
        try {
          return await fn();
        } catch (e) {
          if (!(e instanceof StepError)) throw k8sStepError(e, name, r, ctx.signal);
          throw new StepError(
            e.code,
            r(e.message),
            e.extra.detail ? { detail: redactDeep(e.extra.detail, secrets) } : {},
          );
        }
      },
      { result: (v) => ({ output: r(output(v)) }) },
    );
  let clients: K8sClients | null = null;
  try {
    const cluster = work.cluster;
    if (work.target.runtime_type !== 'k8s' || !cluster || !namespace)
      throw new StepError(
        'K8S_REJECTED',
        'the work order is not for a Kubernetes target with a cluster and namespace',
      );
    ({ clients } = await step(
      'k8s.connect',
      () =>
        connectCluster(cluster, { signal: ctx.signal, requestTimeoutMs: opts.requestTimeoutMs, redact: r }),
      (v) => `connected to ${cluster.server} (${v.version})`,
    ));
    const c = clients;
    const workloads = await step(
      'k8s.status',
      () => listWorkloads(c, namespace, work.target.id),
      (list) => list.map((w) => `${w.kind}/${w.name}: ${w.message}`).join('\n') || 'no workloads',
    );
    return { status: 'succeeded', result: redactDeep({ workloads }, secrets) };
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('CLUSTER_UNREACHABLE', r((e as Error).message));
    return {
      status: 'failed',
      error_code: err.code,
      diagnostics: { message: r(err.message).slice(0, MESSAGE_MAX) },
    };
  } finally {
    clients?.close();
  }
}

async function listWorkloads(c: K8sClients, namespace: string, targetId: string): Promise<WorkloadStatus[]> {
  const labelSelector = `${MANAGED_BY}=${MANAGER},${TARGET_LABEL}=${targetId}`;
  const q = { namespace, labelSelector };
  const [deployments, statefulSets, daemonSets] = await Promise.all([
    c.apps.listNamespacedDeployment(q),
    c.apps.listNamespacedStatefulSet(q),
    c.apps.listNamespacedDaemonSet(q),
  ]);
  // A typed list leaves kind out of its items: it is the list's.
  const objects: WorkloadObject[] = [
    ...deployments.items.map((d) => ({ ...d, kind: 'Deployment' }) as WorkloadObject),
    ...statefulSets.items.map((s) => ({ ...s, kind: 'StatefulSet' }) as WorkloadObject),
    ...daemonSets.items.map((d) => ({ ...d, kind: 'DaemonSet' }) as WorkloadObject),
  ];
  return objects
    .map((w) => {
      const s = rolloutState(w);
      return {
        kind: w.kind,
        name: w.metadata?.name ?? '',
        ready: s.ready,
        desired: s.desired,
        rollout: s.failed ? ('failed' as const) : s.done ? ('complete' as const) : ('progressing' as const),
        message: (s.failed ?? s.message).slice(0, MESSAGE_MAX),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
