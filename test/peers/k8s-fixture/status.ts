/**
 * The status a controller would write for a workload in a given phase of its simulated rollout.
 * While a new template rolls out, the pods of the last ready one keep serving (`old`), which is
 * what makes `replicas > updatedReplicas` ("old replicas pending termination") visible to clients.
 * Zero counters are left out, as the controllers' `omitempty` does.
 */
import type { Obj } from './store';

export type Phase = 'progressing' | 'ready' | 'pull' | 'crash';
export type Sim = { generation: number; polls: number; hash: string; readyHash: string | null; phase: Phase };

const omitZero = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0 && v !== undefined));

export function workloadStatus(
  obj: Obj,
  sim: Sim,
  n: number,
  deadlineExceeded: boolean,
): Record<string, unknown> {
  const ready = sim.phase === 'ready';
  const old = !ready && sim.readyHash && sim.readyHash !== sim.hash ? n : 0;
  const observedGeneration = sim.polls === 0 ? sim.generation - 1 : sim.generation;
  const name = obj.metadata.name;
  if (obj.kind === 'DaemonSet')
    return omitZero({
      observedGeneration,
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      updatedNumberScheduled: sim.polls > 0 ? 1 : 0,
      numberReady: ready || old ? 1 : 0,
      numberAvailable: ready || old ? 1 : 0,
      numberUnavailable: ready || old ? 0 : 1,
    });
  if (obj.kind === 'StatefulSet')
    return omitZero({
      observedGeneration,
      replicas: n,
      readyReplicas: ready ? n : old,
      availableReplicas: ready ? n : old,
      currentReplicas: ready ? n : old,
      updatedReplicas: ready ? n : 0,
      currentRevision: `${name}-${ready || !sim.readyHash ? sim.hash : sim.readyHash}`,
      updateRevision: `${name}-${sim.hash}`,
    });
  const at = new Date().toISOString();
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastUpdateTime: at,
    lastTransitionTime: at,
  });
  const rs = `ReplicaSet "${name}-${sim.hash}"`;
  const available =
    ready || old >= n
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        );
  const progressing = ready
    ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `${rs} has successfully progressed.`)
    : deadlineExceeded
      ? cond('Progressing', 'False', 'ProgressDeadlineExceeded', `${rs} has timed out progressing.`)
      : cond('Progressing', 'True', 'ReplicaSetUpdated', `${rs} is progressing.`);
  return {
    ...omitZero({
      observedGeneration,
      replicas: ready ? n : n + old,
      updatedReplicas: n,
      readyReplicas: ready ? n : old,
      availableReplicas: ready ? n : old,
      unavailableReplicas: ready ? 0 : n,
    }),
    conditions: [available, progressing],
  };
}
