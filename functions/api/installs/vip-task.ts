/**
 * The VIP of a k8s install (`options.lvs_vip`) as the follow-up task seed 004 §5.4 asks for: queued
 * once the install it follows has succeeded (the balancer is pointless before the API servers
 * answer), with its own job and steps (`vip.preflight.<host>`, `vip.vip.<host>`), on the first
 * control plane. The install was approved as a whole, so the VIP task needs no ticket of its own;
 * a failed one is retried like any task.
 */
import { type InstallOptions, rolesOf } from '../../../shared/install/work';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { AuditInput } from '../audit/writer';
import { newJob, taskEvent } from './lifecycle';
import { type InstallTaskRow, insertTask } from './repo';

export async function queueVipTask(
  tx: Db,
  clock: Clock,
  install: InstallTaskRow,
  actor: AuditInput['actor'],
): Promise<InstallTaskRow | null> {
  const options = install.options as InstallOptions;
  if (install.runtime !== 'k8s' || !options.lvs_vip) return null;
  const roles = rolesOf(install.hostIds, options);
  const first = install.hostIds.find((h) => roles.get(h) === 'control-plane') ?? install.hostIds[0]!;
  const now = clock.now();
  const row: InstallTaskRow = {
    ...install,
    id: newId('itk'),
    action: 'vip',
    hostIds: [first],
    status: 'queued',
    approvalTicketId: install.approvalTicketId,
    jobId: null,
    rollbackOf: null,
    follows: install.id,
    result: null,
    registered: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  row.jobId = (await newJob(tx, clock, row)).id;
  await insertTask(tx, row);
  await taskEvent(tx, clock, row, 'install_task.queued', actor, {
    status: 'queued',
    job_id: row.jobId,
    follows: install.id,
    vip: options.lvs_vip,
  });
  return row;
}
