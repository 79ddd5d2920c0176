import { BundleEntry } from '../../../shared/install/manifest';
import { InstallPayload } from '../../../shared/install/work';
import type { ClusterAccess, HostAccess, SshAuth, WorkOrder } from '../../../shared/jobs/claim';
import { ReleaseApplyPayload } from '../../../shared/jobs/kinds';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import { importInputOf } from '../clusters/access';
import { findCluster } from '../clusters/repo';
import { findCredential } from '../credentials/repo';
import { openPayload } from '../credentials/service';
import { findHost } from '../hosts/repo';
import { findTask } from '../installs/repo';
import type { JobRow } from '../jobs/repo';
import { guardClusterImport } from '../kube-access/import-guard';
import { findRelease } from '../releases/repo';
import { openRevision } from '../releases/revision';
import { findTarget } from '../targets/repo';

/**
 * Builds what a claimed job's runner needs, secrets included, for sealing to that runner. Each
 * distinct data key is unwrapped once (SPEC: at most one KMS call per distinct data key in a
 * claim): credentials shared by several hosts are opened once.
 */
export async function buildWorkOrder(db: Db, keys: KeyProvider, job: JobRow): Promise<WorkOrder> {
  const payloads = new Map<string, Promise<Record<string, unknown>>>();
  const credential = (id: string) => {
    let p = payloads.get(id);
    if (!p) {
      p = (async () => {
        const row = await findCredential(db, id);
        if (!row) throw new Error(`credential ${id} is gone`);
        return openPayload(keys, row);
      })();
      payloads.set(id, p);
    }
    return p;
  };
  const host = async (id: string): Promise<HostAccess> => {
    const h = await findHost(db, id);
    if (!h) throw new Error(`host ${id} is gone`);
    const cred = await findCredential(db, h.credentialId);
    const payload = await credential(h.credentialId);
    return {
      id: h.id,
      name: h.name,
      address: h.address,
      port: h.port,
      username: h.username,
      host_key: h.hostKeyFingerprint,
      auth: sshAuth(cred?.kind, payload),
    };
  };
  const cluster = async (id: string): Promise<ClusterAccess> => {
    const c = await findCluster(db, id);
    if (!c) throw new Error(`cluster ${id} is gone`);
    // The same guard that admitted the import builds the file-free access the runner uses.
    const g = guardClusterImport(importInputOf(c, await credential(c.credentialId)));
    if (!g.ok) throw new Error(`cluster ${id} no longer passes the import guard`);
    const a = g.access;
    return {
      id: c.id,
      server: a.server,
      ca: a.ca_pem,
      ...(a.tls_server_name ? { tls_server_name: a.tls_server_name } : {}),
      auth:
        a.auth.kind === 'token'
          ? { kind: 'token', token: a.auth.token }
          : { kind: 'client_cert', cert: a.auth.cert_pem, key: a.auth.key_pem },
    };
  };

  switch (job.kind) {
    case 'host_test':
      return { kind: 'host_test', host: await host(String(job.payload.host_id)) };
    case 'cluster_test':
      return { kind: 'cluster_test', cluster: await cluster(String(job.payload.cluster_id)) };
    case 'release_apply': {
      const payload = ReleaseApplyPayload.parse(job.payload);
      const release = await findRelease(db, payload.release_id);
      const target = await findTarget(db, payload.target_id);
      if (!release || !target) throw new Error(`release ${payload.release_id} or its target is gone`);
      const sealed = await openRevision(keys, release);
      const base = release.baseReleaseId ? await findRelease(db, release.baseReleaseId) : undefined;
      const previous = base?.secretEnvelope ? (await openRevision(keys, base)).rendered : null;
      return {
        kind: 'release_apply',
        release: payload,
        target: {
          id: target.id,
          runtime_type: target.runtimeType,
          namespace: target.namespace,
          compose_project: target.composeProject,
        },
        rendered: sealed.rendered,
        previous_rendered: previous,
        secret_values: Object.values(sealed.secret_values).filter((v) => v.length > 0),
        hosts: target.runtimeType === 'compose' ? await Promise.all(target.hostIds.map(host)) : [],
        cluster: target.runtimeType === 'k8s' && target.clusterId ? await cluster(target.clusterId) : null,
      };
    }
    case 'environment_install': {
      const install = InstallPayload.parse(job.payload);
      const task = await findTask(db, install.task_id);
      if (!task) throw new Error(`install task ${install.task_id} is gone`);
      // The manifest entry as checked when the task was asked for (and approved): what runs.
      return {
        kind: 'environment_install',
        install,
        bundle: BundleEntry.parse(task.bundle),
        hosts: await Promise.all(install.host_ids.map(host)),
      };
    }
    default:
      throw new Error(`no work order for job kind ${job.kind}`);
  }
}

function sshAuth(kind: string | undefined, p: Record<string, unknown>): SshAuth {
  if (kind === 'ssh_private_key')
    return {
      kind: 'ssh_private_key',
      private_key: String(p.private_key),
      ...(typeof p.passphrase === 'string' ? { passphrase: p.passphrase } : {}),
    };
  if (kind === 'ssh_password') return { kind: 'ssh_password', password: String(p.password) };
  throw new Error(`a host credential of kind ${kind} cannot log in over SSH`);
}
