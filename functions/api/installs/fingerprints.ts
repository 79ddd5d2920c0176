import type { InstallHostResult } from '../../../shared/install/work';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { JobRow } from '../jobs/repo';
import { deleteFingerprints, type InstallTaskRow, upsertFingerprint } from './repo';

/**
 * Keeps each host's fingerprint current after a task's job: a host the install succeeded on gets
 * the one it reported (only for the task's own runtime and version: anything else is not what was
 * asked for and is dropped); a host an uninstall or rollback cleared loses its row. Per host, so a
 * task that failed elsewhere still records the hosts it finished.
 */
export async function keepFingerprints(
  tx: Db,
  clock: Clock,
  t: InstallTaskRow,
  job: JobRow,
  hosts: InstallHostResult[],
) {
  const ok = hosts.filter((h) => h.status === 'succeeded');
  if (t.action !== 'install') {
    await deleteFingerprints(
      tx,
      t.environmentId,
      ok.map((h) => h.host_id),
    );
    return;
  }
  const prefix = String((t.options as { prefix?: unknown }).prefix ?? '/');
  for (const h of ok) {
    const fp = h.fingerprint;
    if (!fp || fp.runtime !== t.runtime || fp.version !== t.version) continue;
    await upsertFingerprint(tx, {
      environmentId: t.environmentId,
      hostId: h.host_id,
      projectId: t.projectId,
      runtime: fp.runtime,
      version: fp.version,
      prefix,
      files: fp.files,
      taskId: t.id,
      jobId: job.id,
      recordedAt: clock.now(),
    });
  }
}
