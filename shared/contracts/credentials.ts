/**
 * Request and response schemas of credentials, hosts, clusters and key rotation (SPEC §4
 * "Credentials, clusters, hosts", §6 "Keys"). Responses carry masked metadata only: no schema here
 * has a field for a secret except `RevealedCredential`, the one response a secret leaves in.
 *
 * Secret material (payloads, kubeconfigs, keys, tokens) is typed loosely on purpose: the import
 * guard and the credential inspector check it with exact field paths and answer 413 for oversized
 * values, which a size limit in the schema would turn into a plain 422.
 */
import { z } from 'zod';
import { RunnerPoolRef } from './runners';

export const CREDENTIAL_KINDS = [
  'ssh_private_key',
  'ssh_password',
  'kubeconfig',
  'cert_set',
  'token',
  // A CI provider's API token, which only ever goes to its own `api_origin` (SPEC §7.2).
  'ci_provider',
] as const;
export const CredentialKind = z.enum(CREDENTIAL_KINDS);
export type CredentialKind = z.infer<typeof CredentialKind>;

export const SSH_CREDENTIAL_KINDS = ['ssh_private_key', 'ssh_password'] as const;
/** How an import gives its material; `eks` is what a kubeconfig whose user is `aws eks get-token` becomes. */
export const IMPORT_MODES = ['kubeconfig', 'cert_set', 'token'] as const;
export const CLUSTER_MODES = [...IMPORT_MODES, 'eks'] as const;
export const ClusterMode = z.enum(CLUSTER_MODES);
export const ImportMode = z.enum(IMPORT_MODES);
export type ImportMode = z.infer<typeof ImportMode>;
/** `platform_managed`: a cluster the platform's own install made. */
export const CLUSTER_SOURCES = ['external_managed', 'platform_managed'] as const;
export type ClusterMode = z.infer<typeof ClusterMode>;

const Id = z.string().min(1).max(64);
const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 characters: lowercase letters, digits, "-"');
/** Credentials a cluster import stores are named `cluster.<cluster name>`, so "." is allowed here. */
const CredentialName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,126}$/, '1-127 characters: lowercase letters, digits, "-" and "."');
/** Runner pools arrive with the runner part; until then the only value accepted is null. */
const Metadata = z.record(z.string(), z.unknown());
const FieldNote = z.object({ path: z.string(), message: z.string() });

// Credentials

export const Credential = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  kind: CredentialKind,
  /** `SHA256:...`: of the public key (SSH keys) or of the client certificate; null where none. */
  fingerprint: z.string().nullable(),
  /** Types, names, subjects, dates, public keys, warnings: never secret material. */
  metadata: Metadata,
  created_at: z.string(),
  updated_at: z.string(),
});
export type Credential = z.infer<typeof Credential>;

export const CreateCredentialRequest = z
  .object({
    project_id: Id,
    name: CredentialName,
    kind: CredentialKind,
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type CreateCredentialRequest = z.infer<typeof CreateCredentialRequest>;

export const RotateCredentialRequest = z.object({ payload: z.record(z.string(), z.unknown()) }).strict();
export type RotateCredentialRequest = z.infer<typeof RotateCredentialRequest>;

export const ListCredentialsQuery = z.object({
  project_id: z.string().max(64).optional(),
  kind: CredentialKind.optional(),
});

/** `{}` asks for a ticket; `{approval_ticket}` collects the payload once the ticket is approved. */
export const RevealRequest = z.object({ approval_ticket: Id.optional() }).strict();
export type RevealRequest = z.infer<typeof RevealRequest>;

export const RevealPending = z.object({ approval_ticket: z.string(), status: z.literal('pending') });
export type RevealPending = z.infer<typeof RevealPending>;

export const RevealedCredential = z.object({
  credential_id: z.string(),
  kind: CredentialKind,
  payload: z.record(z.string(), z.unknown()),
});
export type RevealedCredential = z.infer<typeof RevealedCredential>;

// Hosts

export const Port = z.number().int().min(1).max(65535);
/** A login name as OpenSSH and useradd accept it; no spaces, quotes or shell characters. */
export const SshUsername = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/, 'a login name: letters, digits, "_", "." and "-"');

export const Host = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  credential_id: z.string(),
  runner_pool_id: z.string().nullable(),
  /** `SHA256:...` as `ssh-keygen -lf` prints it; null until a runner's first contact pins it. */
  host_key_fingerprint: z.string().nullable(),
  host_key_pinned_at: z.string().nullable(),
  last_test: Metadata.nullable(),
  /** The host the runner connects through (one hop); null: directly. */
  jump_host_id: z.string().nullable(),
  /** The compose the last host test found: `{dialect: v2|v1|null, version, seen_at, job_id}`. */
  compose: Metadata.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Host = z.infer<typeof Host>;

/** `address` is checked by the service (DNS name or IP literal, no link-local/metadata address). */
export const CreateHostRequest = z
  .object({
    project_id: Id,
    name: Name,
    address: z.string(),
    port: Port.default(22),
    username: SshUsername,
    credential_id: Id,
    runner_pool_id: RunnerPoolRef.optional(),
    /** Connect through this host of the project (one hop); null or absent: directly. */
    jump_host_id: Id.nullable().optional(),
  })
  .strict();
export type CreateHostRequest = z.infer<typeof CreateHostRequest>;

export const PatchHostRequest = z
  .object({
    name: Name.optional(),
    address: z.string().optional(),
    port: Port.optional(),
    username: SshUsername.optional(),
    credential_id: Id.optional(),
    runner_pool_id: RunnerPoolRef.optional(),
    /** null: connect directly again. */
    jump_host_id: Id.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type PatchHostRequest = z.infer<typeof PatchHostRequest>;

export const ListHostsQuery = z.object({ project_id: z.string().max(64).optional() });

// Clusters

export const Cluster = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  cluster_source: z.enum(CLUSTER_SOURCES),
  mode: ClusterMode,
  server: z.string(),
  credential_id: z.string(),
  runner_pool_id: z.string().nullable(),
  metadata: Metadata,
  /** Expired or soon expiring certificates and the like: worth an operator's attention, not refused. */
  warnings: z.array(FieldNote),
  last_test: Metadata.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Cluster = z.infer<typeof Cluster>;

/** Which material each mode takes; the import guard checks the material itself. */
export const CLUSTER_MODE_FIELDS = {
  kubeconfig: { required: ['kubeconfig'], optional: ['context'] },
  cert_set: { required: ['endpoint', 'ca', 'cert', 'key'], optional: [] },
  token: { required: ['endpoint', 'ca', 'token'], optional: [] },
} as const satisfies Record<ImportMode, { required: readonly string[]; optional: readonly string[] }>;

const Material = z.unknown().optional();
export const ImportClusterRequest = z
  .object({
    project_id: Id,
    name: Name,
    runner_pool_id: RunnerPoolRef.optional(),
    mode: ImportMode,
    kubeconfig: Material,
    context: Material,
    endpoint: Material,
    ca: Material,
    cert: Material,
    key: Material,
    token: Material,
  })
  .strict()
  .superRefine((v, ctx) => {
    const used: readonly string[] = [
      ...CLUSTER_MODE_FIELDS[v.mode].required,
      ...CLUSTER_MODE_FIELDS[v.mode].optional,
    ];
    for (const field of ['kubeconfig', 'context', 'endpoint', 'ca', 'cert', 'key', 'token'] as const)
      if (v[field] !== undefined && !used.includes(field))
        ctx.addIssue({ code: 'custom', path: [field], message: `not used by mode ${v.mode}` });
  });
export type ImportClusterRequest = z.infer<typeof ImportClusterRequest>;

/**
 * What describes a cluster, not what reaches it: its server and material come from the imported
 * credential (rotate that credential to change them).
 */
export const PatchClusterRequest = z
  .object({ name: Name.optional(), runner_pool_id: RunnerPoolRef.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type PatchClusterRequest = z.infer<typeof PatchClusterRequest>;

export const ListClustersQuery = z.object({ project_id: z.string().max(64).optional() });

// Test connection, key rotation

export const TestConnectionAccepted = z.object({ job_id: z.string(), status: z.literal('queued') });

export const KeyRotation = z.object({
  /** The key every data key is wrapped with now. */
  key_id: z.string(),
  rewrapped: z.object({
    credentials: z.number().int(),
    releases: z.number().int(),
    checkpoints: z.number().int(),
    /** The audit chain's per-process event MAC keys. */
    audit_keys: z.number().int(),
    /** Each target's key of the tags in its masked revisions. */
    target_keys: z.number().int(),
    /** CI pipelines' webhook secrets. */
    pipeline_secrets: z.number().int(),
    /** Notification endpoints' signing secrets. */
    notification_secrets: z.number().int(),
  }),
  /** Rows whose data key could not be unwrapped (damaged or foreign); they keep their old key. */
  failed: z.object({
    credentials: z.number().int(),
    releases: z.number().int(),
    checkpoints: z.number().int(),
    audit_keys: z.number().int(),
    target_keys: z.number().int(),
    pipeline_secrets: z.number().int(),
    notification_secrets: z.number().int(),
  }),
  /** Rows per key id after the rotation: a master key no row names any more can be retired. */
  key_ids_in_use: z.record(z.string(), z.number().int()),
});
export type KeyRotation = z.infer<typeof KeyRotation>;
