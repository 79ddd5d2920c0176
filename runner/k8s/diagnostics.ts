/**
 * What a person needs to see why a release did or did not come up: the objects and what happened
 * to each, the workloads' readiness and conditions, their pods' container states (ImagePullBackOff
 * and CrashLoopBackOff show here) and the namespace's latest events about them. Secret objects
 * appear by kind and name only; every string passes through the caller's redaction before it
 * leaves. Gathering is best effort: a failure here is noted, never fatal to the report.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describeK8sError, type K8sClients } from './client';
import { type Condition, rolloutState, type WorkloadObject } from './rollout';

export type ObjectAction = { kind: string; name: string; action: string };
export type WorkloadDiag = {
  kind: string;
  name: string;
  ready: number;
  desired: number;
  conditions: Condition[];
};
export type PodDiag = {
  name: string;
  phase: string | null;
  containers: { name: string; ready: boolean; waiting_reason: string | null; restart_count: number }[];
};
export type EventDiag = { type: string | null; reason: string | null; message: string; object: string };
export type Diagnostics = {
  objects: ObjectAction[];
  workloads: WorkloadDiag[];
  pods: PodDiag[];
  events: EventDiag[];
  diagnostics_error?: string;
};

export const MAX_EVENTS = 20;
const MAX_PODS = 50;

export type WorkloadRef = { kind: string; name: string };
export type ReadWorkload = WorkloadObject & { selector: Record<string, string> };

export async function readWorkload(
  c: K8sClients,
  namespace: string,
  ref: WorkloadRef,
): Promise<ReadWorkload> {
  const p = { name: ref.name, namespace };
  if (ref.kind === 'Deployment') {
    const d = await c.apps.readNamespacedDeployment(p);
    const spec = { replicas: d.spec?.replicas };
    return {
      kind: ref.kind,
      metadata: d.metadata,
      spec,
      status: d.status,
      selector: d.spec?.selector.matchLabels ?? {},
    };
  }
  if (ref.kind === 'StatefulSet') {
    const s = await c.apps.readNamespacedStatefulSet(p);
    const strategy = s.spec?.updateStrategy;
    const spec = {
      replicas: s.spec?.replicas,
      updateStrategy: {
        type: strategy?.type,
        rollingUpdate: { partition: strategy?.rollingUpdate?.partition },
      },
    };
    return {
      kind: ref.kind,
      metadata: s.metadata,
      spec,
      status: s.status,
      selector: s.spec?.selector.matchLabels ?? {},
    };
  }
  const d = await c.apps.readNamespacedDaemonSet(p);
  return {
    kind: ref.kind,
    metadata: d.metadata,
    spec: {},
    status: d.status,
    selector: d.spec?.selector.matchLabels ?? {},
  };
}

export async function podsOf(c: K8sClients, namespace: string, w: ReadWorkload): Promise<PodDiag[]> {
  const labelSelector = Object.entries(w.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  // An empty selector would list every pod of the namespace: nothing to say about this workload then.
  if (!labelSelector) return [];
  const list = await c.core.listNamespacedPod({ namespace, labelSelector });
  return list.items.slice(0, MAX_PODS).map(podDiag);
}

function podDiag(p: V1Pod): PodDiag {
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? null,
    containers: [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].map(
      (s) => ({
        name: s.name,
        ready: s.ready,
        waiting_reason: s.state?.waiting?.reason ?? null,
        restart_count: s.restartCount,
      }),
    ),
  };
}

/** One line per container that is not ready, for a failed step's output. */
export function podProblems(pods: readonly PodDiag[]): string[] {
  return pods.flatMap((p) =>
    p.containers
      .filter((c) => !c.ready)
      .map(
        (c) =>
          `pod ${p.name}: container ${c.name} ${c.waiting_reason ? `waiting: ${c.waiting_reason}` : 'not ready'}` +
          (c.restart_count ? ` (${c.restart_count} restarts)` : ''),
      ),
  );
}

const eventTime = (e: CoreV1Event) =>
  new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime() || 0;

async function eventsAbout(c: K8sClients, namespace: string, names: readonly string[]): Promise<EventDiag[]> {
  if (names.length === 0) return [];
  const list = await c.core.listNamespacedEvent({ namespace });
  const about = (n: string | undefined) => !!n && names.some((w) => n === w || n.startsWith(`${w}-`));
  return list.items
    .filter((e) => about(e.involvedObject.name))
    .sort((a, b) => eventTime(a) - eventTime(b))
    .slice(-MAX_EVENTS)
    .map((e) => ({
      type: e.type ?? null,
      reason: e.reason ?? null,
      message: e.message ?? '',
      object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    }));
}

export async function collectDiagnostics(
  c: K8sClients | null,
  namespace: string,
  objects: readonly ObjectAction[],
  workloads: readonly WorkloadRef[],
  redact: <T>(value: T) => T,
  /** Workloads read just before, keyed `Kind/name`: used as they are instead of read again. */
  known: ReadonlyMap<string, ReadWorkload> = new Map(),
): Promise<Diagnostics> {
  const out: Diagnostics = { objects: [...objects], workloads: [], pods: [], events: [] };
  if (!c) return redact(out);
  try {
    // Read at once rather than one after another: on success this is the tail of every release,
    // between the last step and the completion (bench/RESULTS.md, release-k8s).
    const [read, events] = await Promise.all([
      Promise.all(
        workloads.map(async (ref) => {
          const w =
            known.get(`${ref.kind}/${ref.name}`) ?? (await readWorkload(c, namespace, ref).catch(() => null));
          return w ? { ref, w, pods: await podsOf(c, namespace, w) } : null;
        }),
      ),
      eventsAbout(
        c,
        namespace,
        workloads.map((w) => w.name),
      ),
    ]);
    const seen = new Set<string>();
    for (const r of read) {
      if (!r) continue;
      const s = rolloutState(r.w);
      out.workloads.push({ ...r.ref, ready: s.ready, desired: s.desired, conditions: s.conditions });
      for (const pod of r.pods) {
        if (seen.has(pod.name)) continue;
        seen.add(pod.name);
        out.pods.push(pod);
      }
    }
    out.events = events;
  } catch (e) {
    out.diagnostics_error = `could not read everything: ${describeK8sError(e).message}`;
  }
  return redact(out);
}
