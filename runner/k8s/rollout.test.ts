import { describe, expect, it } from 'vitest';
import { rolloutState, type WorkloadObject } from './rollout';

const deployment = (status: WorkloadObject['status'], generation = 2, replicas = 3): WorkloadObject => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas },
  status,
});
const full = {
  observedGeneration: 2,
  replicas: 3,
  updatedReplicas: 3,
  readyReplicas: 3,
  availableReplicas: 3,
};

describe('Deployment', () => {
  it('is done only when the generation is observed and every replica is updated, ready and available', () => {
    expect(rolloutState(deployment(full))).toMatchObject({ done: true, failed: null, ready: 3, desired: 3 });
    expect(rolloutState(deployment({ ...full, observedGeneration: 1 }))).toMatchObject({
      done: false,
      message: 'waiting for the controller to observe the new generation',
    });
    expect(rolloutState(deployment({ ...full, updatedReplicas: 1 })).message).toBe(
      '1 of 3 new replicas updated',
    );
    expect(rolloutState(deployment({ ...full, replicas: 5 })).message).toBe(
      '2 old replicas pending termination',
    );
    expect(rolloutState(deployment({ ...full, availableReplicas: 2 })).done).toBe(false);
    expect(rolloutState(deployment({ ...full, readyReplicas: undefined })).done).toBe(false);
  });

  it('reads missing counters as zero, as the controllers leave zeros out', () => {
    expect(rolloutState(deployment({ observedGeneration: 2 }, 2, 0))).toMatchObject({
      done: true,
      desired: 0,
    });
    expect(
      rolloutState({ kind: 'Deployment', metadata: { generation: 1 }, status: { observedGeneration: 1 } }),
    ).toMatchObject({
      done: false,
      desired: 1,
    });
  });

  it('fails on ProgressDeadlineExceeded, with the condition message', () => {
    const s = rolloutState(
      deployment({
        ...full,
        readyReplicas: 0,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'RS timed out',
          },
        ],
      }),
    );
    expect(s).toMatchObject({ done: false, failed: 'RS timed out' });
    expect(s.conditions).toHaveLength(2);
  });
});

describe('StatefulSet', () => {
  const sts = (
    status: WorkloadObject['status'],
    spec: WorkloadObject['spec'] = { replicas: 2 },
  ): WorkloadObject => ({
    kind: 'StatefulSet',
    metadata: { generation: 1 },
    spec,
    status: { observedGeneration: 1, ...status },
  });

  it('waits for readiness and for the update revision to become current', () => {
    expect(rolloutState(sts({ readyReplicas: 2, currentRevision: 'a', updateRevision: 'a' })).done).toBe(
      true,
    );
    expect(rolloutState(sts({ readyReplicas: 1, currentRevision: 'a', updateRevision: 'a' })).done).toBe(
      false,
    );
    expect(rolloutState(sts({ readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' })).done).toBe(
      false,
    );
  });

  it('counts only the pods above the partition', () => {
    const spec = { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } } };
    const base = { readyReplicas: 4, currentRevision: 'a', updateRevision: 'b' };
    expect(rolloutState(sts({ ...base, updatedReplicas: 1 }, spec)).done).toBe(true);
    expect(rolloutState(sts({ ...base, updatedReplicas: 0 }, spec)).done).toBe(false);
  });
});

describe('DaemonSet', () => {
  it('is done when every scheduled pod is updated and available', () => {
    const ds = (status: WorkloadObject['status']): WorkloadObject => ({
      kind: 'DaemonSet',
      metadata: { generation: 3 },
      status: { observedGeneration: 3, desiredNumberScheduled: 2, ...status },
    });
    expect(rolloutState(ds({ updatedNumberScheduled: 2, numberAvailable: 2, numberReady: 2 }))).toMatchObject(
      {
        done: true,
        ready: 2,
        desired: 2,
      },
    );
    expect(rolloutState(ds({ updatedNumberScheduled: 1, numberAvailable: 2 })).done).toBe(false);
    expect(rolloutState(ds({ updatedNumberScheduled: 2, numberAvailable: 1 })).done).toBe(false);
  });
});
