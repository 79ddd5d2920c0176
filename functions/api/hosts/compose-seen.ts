import type { StepReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { JobRow } from '../jobs/repo';
import { updateHost } from './repo';

/**
 * A release's `compose.detect` step says which compose a host runs (its detail names the dialect,
 * its output the version) or that it runs none (`COMPOSE_NOT_FOUND`): kept on the host, as a host
 * test keeps it, for the preview's compose check. `hostIds`: the job's own hosts, so a step cannot
 * write to a host the job was not for.
 */
export async function keepComposeSeen(
  tx: Db,
  job: JobRow,
  step: StepReport,
  clock: Clock,
  hostIds: string[],
) {
  if (!/^compose\.detect(\.|$)/.test(step.name) || !step.host_id || !hostIds.includes(step.host_id)) return;
  const dialect = step.detail?.compose;
  const now = clock.now();
  const seen = { seen_at: now.toISOString(), job_id: job.id };
  if (step.status === 'succeeded' && (dialect === 'v2' || dialect === 'v1'))
    await updateHost(tx, step.host_id, {
      compose: { dialect, version: step.output?.trim().slice(0, 200) || null, ...seen },
      updatedAt: now,
    });
  else if (step.status === 'failed' && step.error_code === 'COMPOSE_NOT_FOUND')
    await updateHost(tx, step.host_id, {
      compose: { dialect: null, version: null, ...seen },
      updatedAt: now,
    });
}
