import { HostTestPayload, hostTestKind } from '../../../shared/jobs/host-test';
import { recordEvent } from '../audit/writer';
import { lastTest } from '../credentials/connection-test';
import type { JobKindHandler } from '../jobs/kind';
import { lockHost, updateHost } from './repo';

/** A host's connection test: the runner gets its access; the result lands on the host row. */
export const hostTestJob: JobKindHandler = {
  definition: hostTestKind,
  async lockFor(tx, job) {
    await lockHost(tx, String(job.payload.host_id));
  },
  async workOrder(job, { host }) {
    return { kind: 'host_test', host: await host(HostTestPayload.parse(job.payload).host_id) };
  },
  async onCompleted(tx, job, report, clock) {
    const now = clock.now();
    const { compose, ...test } = lastTest(job, report, now);
    // What compose the host runs is kept apart, so a later failed test does not forget it.
    const seen = compose
      ? { compose: { ...(compose as object), seen_at: now.toISOString(), job_id: job.id } }
      : {};
    await updateHost(tx, String(job.payload.host_id), { lastTest: test, ...seen, updatedAt: now });
    await recordEvent(tx, clock, {
      action: 'host.tested',
      resourceType: 'host',
      resourceId: String(job.payload.host_id),
      projectId: job.projectId,
      actor: { userId: job.runnerId, source: 'runner' },
      status: report.status,
      detail: test,
    });
  },
};
