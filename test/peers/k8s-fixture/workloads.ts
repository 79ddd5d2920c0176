/**
 * The controllers, simulated. Each read of a Deployment, StatefulSet or DaemonSet is one tick of
 * its rollout: the first read after a spec change still shows the old observedGeneration, and the
 * workload is ready after `readyAfterPolls` further reads. An image containing `imagePullFailure`
 * never pulls (ImagePullBackOff) and one containing `crashFailure` crash-loops; a failing
 * Deployment's Progressing condition turns False with ProgressDeadlineExceeded after
 * `failAfterPolls` reads (StatefulSets and DaemonSets have no deadline: they stay unready). Pods and
 * Events are made from this state, so they agree with the status a client just read.
 */
import { createHash } from 'node:crypto';
import { type PodTemplate, podNames, podsOf } from './pods';
import { isObject } from './resources';
import { type Sim, workloadStatus } from './status';
import type { Obj } from './store';

export type Behaviour = {
  readyAfterPolls: number;
  failAfterPolls: number;
  imagePullFailure: string;
  crashFailure: string;
};

export const DEFAULT_BEHAVIOUR: Behaviour = {
  readyAfterPolls: 2,
  failAfterPolls: 3,
  imagePullFailure: 'missing',
  crashFailure: 'crash',
};

function podTemplate(obj: Obj): PodTemplate & { template: unknown } {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const meta = isObject(template.metadata) ? template.metadata : {};
  const pod = isObject(template.spec) ? template.spec : {};
  const containers = (Array.isArray(pod.containers) ? pod.containers : []) as PodTemplate['containers'];
  const replicas = obj.kind === 'DaemonSet' ? 1 : typeof spec.replicas === 'number' ? spec.replicas : 1;
  return { labels: (meta.labels ?? {}) as Record<string, string>, containers, replicas, template };
}

export class Workloads {
  private readonly sims = new Map<string, Sim>();
  private readonly events: any[] = [];
  private seq = 0;

  constructor(readonly behaviour: Behaviour) {}

  /** One controller tick for this workload; returns the status it now has. */
  tick(obj: Obj): Record<string, unknown> {
    const b = this.behaviour;
    const uid = String(obj.metadata.uid);
    const name = obj.metadata.name;
    const generation = Number(obj.metadata.generation ?? 1);
    const { containers, replicas, template } = podTemplate(obj);
    const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
    const before = this.sims.get(uid);
    let sim: Sim;
    if (!before || before.generation !== generation) {
      const readyHash = before?.phase === 'ready' ? before.hash : (before?.readyHash ?? null);
      sim = { generation, polls: 0, hash, readyHash, phase: 'progressing' };
      if (obj.kind === 'Deployment')
        this.emit(obj, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name}-${hash} to ${replicas}`);
      else
        this.emit(
          obj,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${name}-0 in ${obj.kind} ${name} successful`,
        );
    } else sim = { ...before, polls: before.polls + 1 };

    const pulls = containers.find((c) => String(c.image).includes(b.imagePullFailure));
    const crashes = containers.find((c) => String(c.image).includes(b.crashFailure));
    if ((pulls || crashes) && sim.polls >= 1) {
      sim.phase = pulls ? 'pull' : 'crash';
      for (const pod of podNames(obj, replicas, hash)) {
        const ref = { kind: 'Pod', metadata: { name: pod, namespace: obj.metadata.namespace } };
        if (pulls) {
          this.emit(ref, 'Warning', 'Failed', `Failed to pull image "${pulls.image}": not found`);
          this.emit(ref, 'Warning', 'BackOff', `Back-off pulling image "${pulls.image}"`);
        } else
          this.emit(
            ref,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${crashes?.name} in pod ${pod}`,
          );
      }
    } else if (!pulls && !crashes && sim.polls >= b.readyAfterPolls) {
      if (sim.phase !== 'ready' && obj.kind === 'Deployment' && sim.readyHash && sim.readyHash !== hash)
        this.emit(
          obj,
          'Normal',
          'ScalingReplicaSet',
          `Scaled down replica set ${name}-${sim.readyHash} to 0`,
        );
      sim.phase = 'ready';
    }
    this.sims.set(uid, sim);
    const deadline = (sim.phase === 'pull' || sim.phase === 'crash') && sim.polls >= b.failAfterPolls;
    return workloadStatus(obj, sim, replicas, deadline);
  }

  /** The pods of these workloads as the kubelet would report them now. */
  pods(workloads: Obj[]): Obj[] {
    return workloads.flatMap((obj) => {
      const sim = this.sims.get(String(obj.metadata.uid));
      return sim ? podsOf(obj, sim, podTemplate(obj), this.behaviour) : [];
    });
  }

  eventsIn(namespace: string): Obj[] {
    return this.events.filter((e) => e.metadata.namespace === namespace).map((e) => structuredClone(e));
  }

  /** Repeats of an event raise its count, as the kubelet's event aggregation does. */
  private emit(
    ref: { kind: string; metadata: Record<string, any> },
    type: string,
    reason: string,
    message: string,
  ) {
    const { name, namespace } = ref.metadata;
    const at = new Date().toISOString();
    const same = this.events.find(
      (e) => e.involvedObject.name === name && e.reason === reason && e.message === message,
    );
    if (same) {
      same.count += 1;
      same.lastTimestamp = at;
      return;
    }
    this.events.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${(++this.seq).toString(16).padStart(8, '0')}`, namespace },
      involvedObject: { kind: ref.kind, name, namespace },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: ref.kind === 'Pod' ? 'kubelet' : `${ref.kind.toLowerCase()}-controller` },
    });
  }
}
