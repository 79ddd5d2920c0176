import type {
  Cluster,
  ClusterMode,
  ImportClusterRequest,
  ImportMode,
} from '../../../shared/contracts/credentials';
import type { FieldError } from '../../../shared/errors';
import type { CertInfo, GuardResult } from '../kube-access/guard-core';
import type { ClusterImportInput } from '../kube-access/import-guard';
import type { ClusterRow } from './repo';

/**
 * How a cluster's access is kept: the secret material is its credential's sealed payload, exactly
 * as imported (`kubeconfig {kubeconfig}`, `cert_set {ca, cert, key}`, `token {token}`), and the
 * rest is public and kept on the cluster row: the server, the chosen context, and for token
 * imports the CA bundle (not secret, and not part of a token credential). `importInputOf` puts the
 * two together again, so the runner gets its file-free access from the same guard that checked the
 * import: `guardClusterImport(importInputOf(cluster, payload))`.
 */
export type ClusterOk = Extract<GuardResult, { ok: true }>;

/** A client certificate expiring within this window is worth a warning on every read. */
export const EXPIRY_WARNING_DAYS = 30;

export function importInputOf(
  cluster: Pick<ClusterRow, 'mode' | 'server' | 'metadata'>,
  payload: Record<string, unknown>,
): ClusterImportInput {
  const m = cluster.metadata as { kubeconfig?: { context?: string }; ca_pem?: string };
  const s = (v: unknown) => v as string;
  switch (cluster.mode) {
    case 'kubeconfig':
    case 'eks': // an EKS cluster keeps the kubeconfig it was imported from; the guard reads it as EKS again
      return { mode: 'kubeconfig', kubeconfig: s(payload.kubeconfig), context: m.kubeconfig?.context };
    case 'cert_set':
      return {
        mode: 'cert_set',
        endpoint: cluster.server,
        ca: s(payload.ca),
        cert: s(payload.cert),
        key: s(payload.key),
      };
    case 'token':
      return { mode: 'token', endpoint: cluster.server, ca: s(m.ca_pem), token: s(payload.token) };
  }
}

/** The mode a checked import is kept as: a kubeconfig whose chosen user is EKS is mode `eks`. */
export function clusterModeOf(input: ImportMode, r: ClusterOk): ClusterMode {
  return r.access.auth.kind === 'eks' ? 'eks' : input;
}

/** The import request's material as the guard takes it (unchecked values: the guard checks them). */
export function guardInputOf(input: ImportClusterRequest): ClusterImportInput {
  return input as unknown as ClusterImportInput;
}

/** What an import stores as its credential: a credential of the kind matching the mode. */
export function credentialPayloadOf(input: ImportClusterRequest): {
  kind: ImportMode;
  payload: Record<string, unknown>;
} {
  switch (input.mode) {
    case 'kubeconfig':
      return { kind: 'kubeconfig', payload: { kubeconfig: input.kubeconfig } };
    case 'cert_set':
      return { kind: 'cert_set', payload: { ca: input.ca, cert: input.cert, key: input.key } };
    case 'token':
      return { kind: 'token', payload: { token: input.token } };
  }
}

/** The cluster row's metadata: the guard's description, the token CA, the import's warnings. */
export function clusterMetadata(mode: ClusterMode, r: ClusterOk): Record<string, unknown> {
  return {
    ...r.metadata,
    ...(mode === 'token' ? { ca_pem: r.access.ca_pem } : {}),
    import_warnings: r.warnings,
  };
}

function expiryWarnings(cert: CertInfo | null | undefined, now: Date): FieldError[] {
  if (!cert?.not_after) return [];
  const end = new Date(cert.not_after);
  if (end <= now)
    return [{ path: 'client_cert', message: `the client certificate expired at ${cert.not_after}` }];
  if (end.getTime() - now.getTime() <= EXPIRY_WARNING_DAYS * 86_400_000)
    return [{ path: 'client_cert', message: `the client certificate expires at ${cert.not_after}` }];
  return [];
}

export function toCluster(c: ClusterRow, now: Date): Cluster {
  const { import_warnings, ...metadata } = c.metadata as { import_warnings?: FieldError[] } & Record<
    string,
    unknown
  >;
  return {
    id: c.id,
    project_id: c.projectId,
    name: c.name,
    cluster_source: c.clusterSource,
    mode: c.mode,
    server: c.server,
    credential_id: c.credentialId,
    runner_pool_id: c.runnerPoolId,
    metadata,
    warnings: [...(import_warnings ?? []), ...expiryWarnings(metadata.client_cert as CertInfo | null, now)],
    last_test: c.lastTest,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
