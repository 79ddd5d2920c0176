import type { CompleteReport } from '../../../shared/jobs/kinds';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import { clusterMetadata } from '../clusters/access';
import { type ClusterRow, findClusterByName, insertCluster } from '../clusters/repo';
import { importedCredentialName } from '../clusters/service';
import type { ServiceCtx } from '../context';
import { type CredentialRow, findCredentialByName } from '../credentials/repo';
import { insertSealedCredential, inspectOrThrow, sealPayload, storedMetadata } from '../credentials/service';
import { findEnvironment } from '../environments/repo';
import { guardClusterImport } from '../kube-access/import-guard';
import { findTargetByName } from '../targets/repo';
import { createTarget } from '../targets/service';
import { certMetadata } from './certs';
import type { InstallTaskRow } from './repo';

/** The compose project of a target an install registers; releases name their own services in it. */
export const INSTALLED_COMPOSE_PROJECT = 'app';
/** The namespace of the k8s target an install registers. */
export const INSTALLED_NAMESPACE = 'default';

/** `<runtime>-<version>` as a name (lowercase, digits, "-"), made unique with `-2`, `-3`... */
async function freeName(base: string, taken: (name: string) => Promise<boolean>) {
  const stem = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 56);
  for (let i = 1; i < 1000; i++) {
    const name = i === 1 ? stem : `${stem}-${i}`;
    if (!(await taken(name))) return name;
  }
  return `${stem}-${newId('x').slice(-6)}`;
}

type Registered = Record<string, unknown>;

/**
 * What a succeeded install leaves usable: compose → a target of the hosts that succeeded;
 * k8s → the admin kubeconfig the install returned, sealed as a credential, a `platform_managed`
 * cluster admitted by the same guard as an import, and a target in its `default` namespace. A
 * refusal is recorded as a warning: the runtime is installed either way.
 */
export async function registerInstall(
  tx: Db,
  ctx: ServiceCtx,
  t: InstallTaskRow,
  succeededHosts: string[],
  report: CompleteReport,
  keys: KeyProvider | undefined,
): Promise<Registered> {
  if (succeededHosts.length === 0) return { warning: { code: 'NO_HOST_SUCCEEDED' } };
  const targetName = (base: string) =>
    freeName(base, async (n) => Boolean(await findTargetByName(tx, t.projectId, n)));
  if (t.runtime === 'compose') {
    const target = await createTarget(
      {
        project_id: t.projectId,
        environment_id: t.environmentId,
        name: await targetName(`${t.runtime}-${t.version}`),
        runtime_type: 'compose',
        host_ids: succeededHosts,
        compose_project: INSTALLED_COMPOSE_PROJECT,
      },
      { ...ctx, db: tx },
    );
    return { target_id: target.id };
  }

  const kubeconfig = report.result?.admin_kubeconfig;
  if (typeof kubeconfig !== 'string') return { warning: { code: 'NO_ADMIN_KUBECONFIG' } };
  const now = ctx.clock.now();
  const guard = guardClusterImport({ mode: 'kubeconfig', kubeconfig }, { now });
  // The guard's messages never repeat input values, so its fields are safe to keep.
  if (!guard.ok) return { warning: { code: 'CLUSTER_GUARD_REFUSED', fields: guard.fields } };
  if (!keys) return { warning: { code: 'NO_KEY_PROVIDER' } };
  const payload = { kubeconfig };
  let metadata: Record<string, unknown>;
  try {
    metadata = storedMetadata(
      await inspectOrThrow('kubeconfig', payload, now, guard.access.context ?? undefined),
    );
  } catch {
    return { warning: { code: 'CREDENTIAL_REFUSED' } };
  }
  const env = await findEnvironment(tx, t.environmentId);
  const clusterName = await freeName(`${env?.name ?? 'env'}-k8s-${t.version}`, async (n) =>
    Boolean(
      (await findClusterByName(tx, t.projectId, n)) ||
        (await findCredentialByName(tx, t.projectId, importedCredentialName(n))),
    ),
  );
  const base = { id: newId('cred'), projectId: t.projectId, kind: 'kubeconfig' as const };
  const credential: CredentialRow = {
    ...base,
    name: importedCredentialName(clusterName),
    metadata,
    envelope: await sealPayload(keys, base, payload),
    createdBy: ctx.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const cluster: ClusterRow = {
    id: newId('cls'),
    projectId: t.projectId,
    name: clusterName,
    clusterSource: 'platform_managed',
    mode: 'kubeconfig',
    server: guard.access.server,
    credentialId: credential.id,
    // The API server lives where the hosts are: the environment's runners reach it.
    runnerPoolId: env?.runnerPoolId ?? null,
    metadata: { ...clusterMetadata('kubeconfig', guard), ...certMetadata(report, now) },
    lastTest: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await insertSealedCredential(tx, ctx, credential, { cluster_id: cluster.id, install_task_id: t.id });
  await insertCluster(tx, cluster);
  await recordEvent(tx, ctx.clock, {
    action: 'cluster.created',
    resourceType: 'cluster',
    resourceId: cluster.id,
    projectId: cluster.projectId,
    environmentId: t.environmentId,
    actor: ctx.actor,
    detail: {
      name: cluster.name,
      cluster_source: cluster.clusterSource,
      server: cluster.server,
      credential_id: credential.id,
      install_task_id: t.id,
      warnings: guard.warnings,
    },
  });
  const target = await createTarget(
    {
      project_id: t.projectId,
      environment_id: t.environmentId,
      name: await targetName(`k8s-${t.version}`),
      runtime_type: 'k8s',
      cluster_id: cluster.id,
      namespace: INSTALLED_NAMESPACE,
    },
    { ...ctx, db: tx },
  );
  return { target_id: target.id, cluster_id: cluster.id, credential_id: credential.id };
}
