/**
 * Pods as the kubelet would report them for a workload's simulated state: the new template's pods
 * (creating, running, or stuck on the failing image), and while a rollout is not done, the pods of
 * the last ready template still running beside them.
 */
import type { Phase, Sim } from './status';
import type { Obj } from './store';
import type { Behaviour } from './workloads';

export type PodTemplate = {
  labels: Record<string, string>;
  containers: { name: string; image: string }[];
  replicas: number;
};

export function podNames(obj: Obj, n: number, hash: string): string[] {
  const name = obj.metadata.name;
  if (obj.kind === 'StatefulSet') return Array.from({ length: n }, (_, i) => `${name}-${i}`);
  if (obj.kind === 'DaemonSet') return [`${name}-${hash.slice(0, 5)}`];
  return Array.from({ length: n }, (_, i) => `${name}-${hash}-${hash.slice(i, i + 5)}`);
}

export function podsOf(obj: Obj, sim: Sim, t: PodTemplate, b: Behaviour): Obj[] {
  const pod = (name: string, hash: string, phase: Phase): Obj => {
    const waiting = (reason: string, message?: string) => ({
      waiting: { reason, ...(message ? { message } : {}) },
    });
    const containerStatuses = t.containers.map((c) => {
      const bad =
        (phase === 'pull' && c.image.includes(b.imagePullFailure)) ||
        (phase === 'crash' && c.image.includes(b.crashFailure));
      const state =
        phase === 'ready' || (phase !== 'progressing' && !bad)
          ? { running: { startedAt: new Date().toISOString() } }
          : phase === 'progressing'
            ? waiting('ContainerCreating')
            : phase === 'pull'
              ? waiting('ImagePullBackOff', `Back-off pulling image "${c.image}"`)
              : waiting('CrashLoopBackOff', `back-off 10s restarting failed container=${c.name} pod=${name}`);
      return {
        name: c.name,
        image: c.image,
        // The kubelet reports an empty imageID until the image is pulled.
        imageID: bad || phase === 'progressing' ? '' : `sha256:${hash}`,
        ready: phase === 'ready',
        restartCount: bad && phase === 'crash' ? sim.polls : 0,
        started: 'running' in state,
        state,
      };
    });
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: obj.metadata.namespace,
        labels: { ...t.labels, 'pod-template-hash': hash },
      },
      spec: { containers: t.containers.map((c) => ({ name: c.name, image: c.image })) },
      status: {
        phase: phase === 'ready' || phase === 'crash' ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: phase === 'ready' ? 'True' : 'False' }],
        containerStatuses,
      },
    };
  };
  const current = podNames(obj, t.replicas, sim.hash).map((n) => pod(n, sim.hash, sim.phase));
  const oldHash = sim.phase !== 'ready' && sim.readyHash !== sim.hash ? sim.readyHash : null;
  const old = oldHash ? podNames(obj, t.replicas, oldHash).map((n) => pod(n, oldHash, 'ready')) : [];
  // A StatefulSet replaces its pods in place, under the same names.
  return obj.kind === 'StatefulSet' && old.length ? old : [...old, ...current];
}
