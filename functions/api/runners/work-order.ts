import type { ClusterAccess, HostAccess, SshAuth, WorkOrder } from '../../../shared/jobs/claim';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import { importInputOf } from '../clusters/access';
import { findAnyCluster } from '../clusters/repo';
import { findCredential } from '../credentials/repo';
import { openPayload } from '../credentials/service';
import { findAnyHost } from '../hosts/repo';
import { type JobKinds, kindOf } from '../jobs/kind';
import type { JobRow } from '../jobs/repo';
import { guardClusterImport } from '../kube-access/import-guard';

/**
 * Builds what a claimed job's runner needs, secrets included, for sealing to that runner: the
 * kind's handler says what, with host and cluster access built here for every kind. Each
 * distinct data key is unwrapped once (SPEC: at most one KMS call per distinct data key in a
 * claim): credentials shared by several hosts are opened once.
 */
export async function buildWorkOrder(
  db: Db,
  keys: KeyProvider,
  job: JobRow,
  kinds: JobKinds,
): Promise<WorkOrder> {
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
  const access = async (id: string, hop: boolean): Promise<HostAccess> => {
    const h = await findAnyHost(db, id);
    if (!h) throw new Error(`host ${id} is gone`);
    const cred = await findCredential(db, h.credentialId);
    const payload = await credential(h.credentialId);
    // The jump host's own credential travels sealed in the same work order (one hop only).
    const jump = !hop && h.jumpHostId ? await access(h.jumpHostId, true) : undefined;
    return {
      id: h.id,
      name: h.name,
      address: h.address,
      port: h.port,
      username: h.username,
      host_key: h.hostKeyFingerprint,
      auth: sshAuth(cred?.kind, payload),
      ...(jump ? { jump } : {}),
    };
  };
  const host = (id: string) => access(id, false);
  const cluster = async (id: string): Promise<ClusterAccess> => {
    const c = await findAnyCluster(db, id);
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
          : a.auth.kind === 'eks'
            ? {
                kind: 'eks',
                cluster_name: a.auth.cluster_name,
                region: a.auth.region,
                ...(a.auth.role_arn ? { role_arn: a.auth.role_arn } : {}),
              }
            : { kind: 'client_cert', cert: a.auth.cert_pem, key: a.auth.key_pem },
    };
  };

  const kind = kindOf(kinds, job.kind);
  if (!kind) throw new Error(`no work order for job kind ${job.kind}`);
  return (await kind.workOrder(job, { db, keys, host, cluster })) as WorkOrder;
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
