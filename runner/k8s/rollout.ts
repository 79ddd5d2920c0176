/**
 * Whether a workload has finished rolling out, read from its status the way `kubectl rollout
 * status` reads it, plus the one failure a Deployment reports itself (its progress deadline).
 * Pure: the adapter polls, this judges. The controllers leave zero counters out of status, so a
 * missing counter is 0.
 */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export type Condition = { type: string; status: string; reason?: string; message?: string };

export type WorkloadObject = {
  kind: string;
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    conditions?: Condition[];
  };
};

export type RolloutState = {
  done: boolean;
  /** Set when waiting longer cannot help. */
  failed: string | null;
  ready: number;
  desired: number;
  message: string;
  conditions: Condition[];
};

const n = (v: number | undefined) => v ?? 0;

export function rolloutState(w: WorkloadObject): RolloutState {
  const s = w.status ?? {};
  const conditions = (s.conditions ?? []).map(({ type, status, reason, message }) => ({
    type,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  }));
  const daemon = w.kind === 'DaemonSet';
  const desired = daemon ? n(s.desiredNumberScheduled) : (w.spec?.replicas ?? 1);
  const ready = daemon ? n(s.numberReady) : n(s.readyReplicas);
  const state = (done: boolean, message: string, failed: string | null = null): RolloutState => ({
    done,
    failed,
    ready,
    desired,
    message,
    conditions,
  });

  if (w.metadata?.generation !== undefined && n(s.observedGeneration) < w.metadata.generation)
    return state(false, 'waiting for the controller to observe the new generation');

  if (w.kind === 'Deployment') {
    const deadline = conditions.find(
      (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
    );
    if (deadline)
      return state(false, 'exceeded its progress deadline', deadline.message ?? 'ProgressDeadlineExceeded');
    const updated = n(s.updatedReplicas);
    if (updated < desired) return state(false, `${updated} of ${desired} new replicas updated`);
    if (n(s.replicas) > updated)
      return state(false, `${n(s.replicas) - updated} old replicas pending termination`);
    if (n(s.availableReplicas) < desired || ready < desired)
      return state(
        false,
        `${Math.min(ready, n(s.availableReplicas))} of ${desired} updated replicas available`,
      );
    return state(true, `${ready}/${desired} ready`);
  }

  if (w.kind === 'StatefulSet') {
    if (ready < desired) return state(false, `${ready} of ${desired} pods ready`);
    if (w.spec?.updateStrategy?.type === 'OnDelete')
      return state(true, `${ready}/${desired} ready (OnDelete)`);
    const partition = w.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (partition > 0) {
      const want = Math.max(desired - partition, 0);
      if (n(s.updatedReplicas) < want)
        return state(false, `${n(s.updatedReplicas)} of ${want} pods updated (partitioned)`);
      return state(true, `${ready}/${desired} ready, partition ${partition}`);
    }
    if (s.updateRevision !== s.currentRevision)
      return state(false, `${n(s.updatedReplicas)} of ${desired} pods updated`);
    return state(true, `${ready}/${desired} ready`);
  }

  if (daemon) {
    if (n(s.updatedNumberScheduled) < desired)
      return state(false, `${n(s.updatedNumberScheduled)} of ${desired} updated pods scheduled`);
    if (n(s.numberAvailable) < desired)
      return state(false, `${n(s.numberAvailable)} of ${desired} updated pods available`);
    return state(true, `${ready}/${desired} ready`);
  }

  return state(true, 'not a workload');
}
