import { describe, expect, it } from 'vitest';
import { summarizeDiagnostics } from './diagnostics-summary';

describe('summarizeDiagnostics', () => {
  it("keeps a compose release's failed host, step, code and message and drops its output", () => {
    const diagnostics = {
      error_code: 'COMPOSE_FAILED',
      hosts: [
        { host_id: 'host_a', compose: 'v1', services: [{ name: 'web' }] },
        {
          host_id: 'host_b',
          compose: 'v1',
          failed_step: 'compose.up',
          failed_command: 'docker-compose up -d',
          exit_code: 1,
          stderr_tail: 'ERROR: pull access denied',
          logs_tail: 'web | listening',
          services: [],
        },
      ],
    };
    const failed = {
      name: 'compose.up.host_b',
      hostId: 'host_b',
      errorCode: 'COMPOSE_FAILED',
      detail: { message: 'docker-compose up failed: pull access denied' },
    };
    expect(summarizeDiagnostics(diagnostics, failed, 90)).toEqual({
      error_code: 'COMPOSE_FAILED',
      message: 'docker-compose up failed: pull access denied',
      failed_step: 'compose.up',
      host_id: 'host_b',
      retention_days: 90,
    });
  });

  it("keeps a Kubernetes release's message and takes the step from the failed step row", () => {
    const diagnostics = {
      error_code: 'ROLLOUT_TIMEOUT',
      message: 'web did not become ready',
      pods: [{ name: 'web-1', phase: 'Pending', containers: [] }],
      events: [
        { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image', object: 'Pod/web-1' },
      ],
    };
    const failed = { name: 'k8s.wait', hostId: null, errorCode: 'ROLLOUT_TIMEOUT', detail: null };
    const s = summarizeDiagnostics(diagnostics, failed, 30);
    expect(s).toEqual({
      error_code: 'ROLLOUT_TIMEOUT',
      message: 'web did not become ready',
      failed_step: 'k8s.wait',
      host_id: null,
      retention_days: 30,
    });
    expect(JSON.stringify(s)).not.toContain('Back-off');
  });

  it('says nothing failed for a successful release, and cuts a long message', () => {
    expect(summarizeDiagnostics({ objects: [], workloads: [] }, undefined, 90)).toEqual({
      error_code: null,
      message: null,
      failed_step: null,
      host_id: null,
      retention_days: 90,
    });
    const long = summarizeDiagnostics({ message: 'x'.repeat(5000) }, undefined, 90);
    expect(long.message).toHaveLength(600);
  });
});
