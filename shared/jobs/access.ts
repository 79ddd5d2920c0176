import { z } from 'zod';

/** How a runner reaches a host: address, pinned key and login. Holds a secret (`auth`). */
export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const SshAuth = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ssh_private_key'),
    private_key: z.string(),
    passphrase: z.string().optional(),
  }),
  z.object({ kind: z.literal('ssh_password'), password: z.string() }),
]);
export type SshAuth = z.infer<typeof SshAuth>;

const HostAccessBase = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int().min(1).max(65535),
  username: z.string(),
  /** The pinned key (`SHA256:…` as `ssh-keygen -lf` prints it), or null before first contact. */
  host_key: z.string().regex(FINGERPRINT).nullable(),
  auth: SshAuth,
});
/** `jump`: the host the runner connects through (one hop, its key always pinned). */
export const HostAccess = HostAccessBase.extend({ jump: HostAccessBase.optional() });
export type HostAccess = z.infer<typeof HostAccess>;

export const ClusterAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string() }),
  z.object({ kind: z.literal('client_cert'), cert: z.string(), key: z.string() }),
  /** EKS: the runner mints a token from its own AWS credentials (after assuming `role_arn` with them); nothing secret travels. */
  z.object({
    kind: z.literal('eks'),
    cluster_name: z.string(),
    region: z.string(),
    role_arn: z.string().optional(),
  }),
]);
/** How a runner reaches a cluster's API server. Holds a secret (`auth`). */
export const ClusterAccess = z.object({
  id: z.string(),
  /** https URL of the API server. */
  server: z.string(),
  /** PEM bundle the server's certificate must chain to; null: the system roots. */
  ca: z.string().nullable(),
  tls_server_name: z.string().optional(),
  auth: ClusterAuth,
});
export type ClusterAccess = z.infer<typeof ClusterAccess>;
