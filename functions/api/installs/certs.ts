/**
 * Certificates of platform-managed clusters (seed 000 asks who renews them): the platform keeps
 * admin.conf's expiry on the cluster (`metadata.cert_expires_at`, with `cert_checked_at`, from
 * what the runner read with `kubeadm certs check-expiration` after init or a renewal), previews
 * warn 30 days before it, and `POST /clusters/:id/certificates/renew` queues a `cert_renew` task
 * on the control plane of the install that made the cluster. Its new admin kubeconfig is sealed
 * in place of the old one in the cluster's credential; nothing else ever holds it.
 */

import { type InstallOptions, rolesOf } from '../../../shared/install/work';
import type { CompleteReport } from '../../../shared/jobs/kinds';
import type { Check } from '../../../shared/releases';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { KeyProvider } from '../../platform/keys/types';
import { type AuditInput, recordEvent } from '../audit/writer';
import { findCluster, lockLiveCluster, updateCluster } from '../clusters/repo';
import type { ServiceCtx } from '../context';
import { findCredential, updateCredential } from '../credentials/repo';
import { inspectOrThrow, sealPayload, storedMetadata } from '../credentials/service';
import { ApiError, notFound } from '../errors';
import { guardClusterImport } from '../kube-access/import-guard';
import { assertHostsFree, newJob, taskEvent } from './lifecycle';
import { findTask, type InstallTaskRow, insertTask, installOfCluster, lockEnvironment } from './repo';

/** How long before the expiry previews warn. */
export const CERT_WARN_DAYS = 30;
const DAY_MS = 86_400_000;

/** What the cluster keeps of a report that carries the expiry. */
export function certMetadata(report: CompleteReport, now: Date): Record<string, string> {
  const at = report.result?.cert_expires_at;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at))
    ? { cert_expires_at: new Date(at).toISOString(), cert_checked_at: now.toISOString() }
    : {};
}

export async function requestCertRenew(clusterId: string, ctx: ServiceCtx) {
  const cluster = await findCluster(ctx.db, clusterId);
  if (!cluster) throw notFound('cluster');
  if (cluster.clusterSource !== 'platform_managed')
    throw new ApiError(
      'ILLEGAL_TRANSITION',
      'only a cluster the platform installed has certificates it can renew',
    );
  const install = await installOfCluster(ctx.db, cluster.id);
  if (!install) throw new ApiError('CONFLICT', 'no succeeded install of this cluster is on record');
  return ctx.db.transaction(async (tx) => {
    await lockEnvironment(tx, install.environmentId);
    const roles = rolesOf(install.hostIds, install.options as InstallOptions);
    const first = install.hostIds.find((h) => roles.get(h) === 'control-plane') ?? install.hostIds[0]!;
    const now = ctx.clock.now();
    const row: InstallTaskRow = {
      ...install,
      id: newId('itk'),
      action: 'cert_renew',
      hostIds: [first],
      status: 'queued',
      jobId: null,
      rollbackOf: null,
      follows: install.id,
      result: null,
      registered: null,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    await assertHostsFree(tx, row);
    row.jobId = (await newJob(tx, ctx.clock, row)).id;
    await insertTask(tx, row);
    await taskEvent(tx, ctx.clock, row, 'install_task.queued', ctx.actor, {
      status: 'queued',
      job_id: row.jobId,
      follows: install.id,
      cluster_id: cluster.id,
    });
    await recordEvent(tx, ctx.clock, {
      action: 'cluster.certificates_renew_requested',
      resourceType: 'cluster',
      resourceId: cluster.id,
      projectId: cluster.projectId,
      environmentId: install.environmentId,
      actor: ctx.actor,
      detail: { task_id: row.id, job_id: row.jobId, host_id: first },
    });
    return {
      task_id: row.id,
      job_id: row.jobId,
      status: 'queued' as const,
      environment_id: row.environmentId,
    };
  });
}

/** A renewal that succeeded: the new admin kubeconfig sealed in place of the old, the expiry kept. */
export async function sealRenewed(
  tx: Db,
  clock: Clock,
  t: InstallTaskRow,
  report: CompleteReport,
  keys: KeyProvider | undefined,
  actor: AuditInput['actor'],
): Promise<Record<string, unknown>> {
  const clusterId = (await installRegistered(tx, t))?.cluster_id;
  const cluster = typeof clusterId === 'string' ? await lockLiveCluster(tx, clusterId) : undefined;
  if (!cluster) return { warning: { code: 'CLUSTER_GONE' } };
  const kubeconfig = report.result?.admin_kubeconfig;
  if (typeof kubeconfig !== 'string') return { warning: { code: 'NO_ADMIN_KUBECONFIG' } };
  const now = clock.now();
  const guard = guardClusterImport({ mode: 'kubeconfig', kubeconfig }, { now });
  if (!guard.ok) return { warning: { code: 'CLUSTER_GUARD_REFUSED', fields: guard.fields } };
  if (guard.access.server !== cluster.server) return { warning: { code: 'SERVER_CHANGED' } };
  const credential = cluster.credentialId ? await findCredential(tx, cluster.credentialId) : undefined;
  if (!credential || !keys) return { warning: { code: 'NO_CREDENTIAL' } };
  const payload = { kubeconfig };
  const inspected = await inspectOrThrow('kubeconfig', payload, now, guard.access.context ?? undefined);
  await updateCredential(tx, credential.id, {
    envelope: await sealPayload(keys, credential, payload),
    metadata: storedMetadata(inspected),
    updatedAt: now,
  });
  const metadata = { ...cluster.metadata, ...certMetadata(report, now) };
  await updateCluster(tx, cluster.id, { metadata, updatedAt: now });
  await recordEvent(tx, clock, {
    action: 'cluster.certificates_renewed',
    resourceType: 'cluster',
    resourceId: cluster.id,
    projectId: cluster.projectId,
    environmentId: t.environmentId,
    actor,
    detail: {
      task_id: t.id,
      credential_id: credential.id,
      cert_expires_at: metadata.cert_expires_at ?? null,
    },
  });
  return {
    cluster_id: cluster.id,
    credential_id: credential.id,
    cert_expires_at: metadata.cert_expires_at ?? null,
  };
}

async function installRegistered(db: Db, t: InstallTaskRow) {
  return t.follows ? ((await findTask(db, t.follows))?.registered ?? null) : null;
}

/**
 * Preview check for a k8s target on a platform-managed cluster: `warn` from 30 days before the
 * admin certificate expires, naming where the date came from and how old that reading is.
 */
export function certificateCheck(
  cluster: { name: string; clusterSource: string; metadata: Record<string, unknown> } | undefined,
  now: Date,
): Check[] {
  const at = cluster?.metadata.cert_expires_at;
  if (!cluster || cluster.clusterSource !== 'platform_managed' || typeof at !== 'string') return [];
  const days = Math.floor((Date.parse(at) - now.getTime()) / DAY_MS);
  const checked = cluster.metadata.cert_checked_at;
  const age =
    typeof checked === 'string'
      ? `${Math.max(0, Math.floor((now.getTime() - Date.parse(checked)) / DAY_MS))} day(s) ago`
      : 'at an unknown time';
  const source = `source: kubeadm certs check-expiration on the control plane, read ${age}`;
  if (days > CERT_WARN_DAYS)
    return [
      {
        name: 'certificates',
        status: 'pass',
        detail: `cluster ${cluster.name}'s certificates expire in ${days} days (${source})`,
      },
    ];
  return [
    {
      name: 'certificates',
      status: 'warn',
      detail:
        days < 0
          ? `cluster ${cluster.name}'s admin certificate expired on ${at.slice(0, 10)}: renew it (POST /clusters/:id/certificates/renew) (${source})`
          : `cluster ${cluster.name}'s admin certificate expires on ${at.slice(0, 10)}, in ${days} days: renew it (POST /clusters/:id/certificates/renew) (${source})`,
    },
  ];
}
