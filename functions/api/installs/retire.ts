/**
 * Uninstall and rollback take back what an install registered (SPEC §7.0: "retiring what an install
 * registered is this DELETE"): its target and, for k8s, its cluster, soft-deleted and audited as a
 * DELETE would be. The request is refused with 409 IN_USE while either is in use, so a runtime is
 * not pulled from under a release in flight; if one came into use while the task ran, the task
 * still succeeds (the runtime is gone from the hosts) and says what it could not retire.
 */

import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { AuditInput } from '../audit/writer';
import { recordEvent } from '../audit/writer';
import { clusterUsers, lockLiveCluster, updateCluster } from '../clusters/repo';
import { ApiError, assertUnused } from '../errors';
import { lockLiveTarget, unfinishedReleasesOn, updateTarget } from '../targets/repo';
import { taskEvent } from './lifecycle';
import { findTask, type InstallTaskRow, setRegistered, succeededInstallsOf } from './repo';

type Actor = AuditInput['actor'];
type Registration = { install_task_id: string; target_id: string | null; cluster_id: string | null };

const idOf = (r: Record<string, unknown> | null, k: string) =>
  typeof r?.[k] === 'string' ? (r[k] as string) : null;

/**
 * What the task undoes: a rollback, what its install registered; an uninstall, what every
 * succeeded install of the same runtime and version registered on hosts it all covers.
 */
export async function registrationsUndoneBy(
  db: Db,
  t: Pick<InstallTaskRow, 'action' | 'rollbackOf' | 'environmentId' | 'runtime' | 'version' | 'hostIds'>,
): Promise<Registration[]> {
  let installs: InstallTaskRow[] = [];
  if (t.action === 'rollback' && t.rollbackOf) {
    const original = await findTask(db, t.rollbackOf);
    if (original?.action === 'install') installs = [original];
  } else if (t.action === 'uninstall') {
    installs = (await succeededInstallsOf(db, t.environmentId, t.runtime, t.version)).filter((i) =>
      i.hostIds.every((h) => t.hostIds.includes(h)),
    );
  }
  return installs
    .map((i) => ({
      install_task_id: i.id,
      target_id: idOf(i.registered, 'target_id'),
      cluster_id: idOf(i.registered, 'cluster_id'),
    }))
    .filter((r) => r.target_id || r.cluster_id);
}

/** 409 IN_USE when a target has a release in flight, or a cluster serves targets besides its own. */
async function assertRetirable(db: Db, r: Registration, lock: boolean) {
  const target = r.target_id ? await lockLiveTarget(db, r.target_id) : undefined;
  if (target)
    assertUnused(`target ${target.name}`, {
      'unfinished release(s)': await unfinishedReleasesOn(db, target.id),
    });
  const cluster = r.cluster_id && lock ? await lockLiveCluster(db, r.cluster_id) : undefined;
  if (r.cluster_id) {
    const others = (await clusterUsers(db, r.cluster_id)).targets.filter((n) => n !== target?.name);
    assertUnused('cluster', { 'other target(s)': others });
  }
  return { target, cluster };
}

/** At request time: refuse an uninstall or rollback whose registrations are in use. */
export async function assertRegistrationsFree(db: Db, t: Parameters<typeof registrationsUndoneBy>[1]) {
  for (const r of await registrationsUndoneBy(db, t)) await assertRetirable(db, r, false);
}

/** When the task has succeeded: soft-delete each, audited; what is in use by now stays, said why. */
export async function retireRegistrations(tx: Db, clock: Clock, t: InstallTaskRow, actor: Actor) {
  const retired: {
    target_ids: string[];
    cluster_ids: string[];
    warnings: { code: string; message: string }[];
  } = { target_ids: [], cluster_ids: [], warnings: [] };
  for (const r of await registrationsUndoneBy(tx, t)) {
    let live: Awaited<ReturnType<typeof assertRetirable>>;
    try {
      live = await assertRetirable(tx, r, true);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'IN_USE') throw e;
      retired.warnings.push({ code: 'IN_USE', message: e.message });
      continue;
    }
    const now = clock.now();
    const because = { install_task_id: t.id, registered_by: r.install_task_id, action: t.action };
    if (live.target) {
      await updateTarget(tx, live.target.id, { deletedAt: now, updatedAt: now });
      await recordEvent(tx, clock, {
        action: 'target.deleted',
        resourceType: 'target',
        resourceId: live.target.id,
        projectId: live.target.projectId,
        environmentId: live.target.environmentId,
        actor,
        detail: { name: live.target.name, runtime_type: live.target.runtimeType, ...because },
      });
      retired.target_ids.push(live.target.id);
    }
    if (live.cluster) {
      await updateCluster(tx, live.cluster.id, { deletedAt: now, updatedAt: now });
      await recordEvent(tx, clock, {
        action: 'cluster.deleted',
        resourceType: 'cluster',
        resourceId: live.cluster.id,
        projectId: live.cluster.projectId,
        actor,
        detail: {
          name: live.cluster.name,
          server: live.cluster.server,
          credential_id: live.cluster.credentialId,
          ...because,
        },
      });
      retired.cluster_ids.push(live.cluster.id);
    }
  }
  if (!retired.target_ids.length && !retired.cluster_ids.length && !retired.warnings.length) return;
  await setRegistered(tx, t.id, { retired });
  await taskEvent(tx, clock, t, 'install_task.retired', actor, { retired });
}
