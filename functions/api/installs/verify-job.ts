import { InstallVerifyPayload, installVerifyKind } from '../../../shared/jobs/install-verify';
import { recordEvent } from '../audit/writer';
import type { JobKindHandler } from '../jobs/kind';
import { driftOf } from './verify';

/** A drift check: the runner gets each host's access; its readings become the report, audited. */
export const installVerifyJob: JobKindHandler = {
  definition: installVerifyKind,
  async workOrder(job, { host }) {
    const verify = InstallVerifyPayload.parse(job.payload);
    return {
      kind: 'install_verify',
      verify,
      hosts: await Promise.all(verify.hosts.map((h) => host(h.host_id))),
    };
  },
  async onCompleted(tx, job, report, clock) {
    // The job row holds the readings by now (stored before this hook), so the report is the GET's.
    const hosts = driftOf({ ...job, status: report.status, result: report.result ?? {} });
    await recordEvent(tx, clock, {
      action: 'environment.install_verified',
      resourceType: 'environment',
      resourceId: job.resourceId,
      projectId: job.projectId,
      environmentId: job.environmentId,
      actor: { userId: job.runnerId, source: 'runner' },
      status: report.status,
      detail: {
        job_id: job.id,
        error_code: report.error_code ?? null,
        hosts: hosts.map((h) => ({
          host_id: h.host_id,
          drift: h.drift,
          error_code: h.error_code,
          files: h.files.filter((f) => f.state === 'changed' || f.state === 'missing').map((f) => f.path),
        })),
      },
    });
  },
};
