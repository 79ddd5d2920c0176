import { describe, expect, it } from 'vitest';
import { type HostStatus, targetHealth, type WorkloadStatus } from './target-status';

const container = (state: string, health: string | null = null) => ({
  service: 'web',
  container: 'app-web-1',
  image: 'reg/app:1',
  state,
  health,
  exit_code: state === 'exited' ? 137 : null,
});
const host = (containers: HostStatus['containers'], reachable = true): HostStatus => ({
  host_id: 'hst_1',
  reachable,
  compose: reachable ? 'v1' : null,
  error_code: reachable ? null : 'SSH_CONNECT',
  message: null,
  containers,
});
const workload = (ready: number, rollout: WorkloadStatus['rollout'] = 'complete'): WorkloadStatus => ({
  kind: 'Deployment',
  name: 'web',
  ready,
  desired: 2,
  rollout,
  message: '',
});

describe('targetHealth', () => {
  it('is unknown when nothing could be read', () => {
    expect(targetHealth(null)).toBe('unknown');
    expect(targetHealth({ hosts: [host([], false)] })).toBe('unknown');
    expect(targetHealth({ hosts: [] })).toBe('unknown');
  });

  it('is healthy when every container on every host runs, healthy where it has a check', () => {
    expect(targetHealth({ hosts: [host([container('running'), container('running', 'healthy')])] })).toBe(
      'healthy',
    );
  });

  it('is degraded for a stopped, unhealthy or starting container, an empty host or an unreached one', () => {
    expect(targetHealth({ hosts: [host([container('running'), container('exited')])] })).toBe('degraded');
    expect(targetHealth({ hosts: [host([container('running', 'unhealthy')])] })).toBe('degraded');
    expect(targetHealth({ hosts: [host([container('running', 'starting')])] })).toBe('degraded');
    expect(targetHealth({ hosts: [host([])] })).toBe('degraded');
    expect(targetHealth({ hosts: [host([container('running')]), host([], false)] })).toBe('degraded');
  });

  it('judges workloads by rollout and ready replicas', () => {
    expect(targetHealth({ workloads: [workload(2)] })).toBe('healthy');
    expect(targetHealth({ workloads: [workload(1)] })).toBe('degraded');
    expect(targetHealth({ workloads: [workload(2, 'progressing')] })).toBe('degraded');
    expect(targetHealth({ workloads: [workload(0, 'failed')] })).toBe('degraded');
    expect(targetHealth({ workloads: [] })).toBe('degraded');
  });
});
