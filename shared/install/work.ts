import { z } from 'zod';
import { HostAccess } from '../jobs/access';
import { BundleEntry } from './manifest';

/** Install options (SPEC §4 Install jobs). */
export const InstallOptions = z
  .object({
    /** Root every path is installed under; `/` in production, a temp dir in tests. */
    prefix: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]*$/, 'an absolute path')
      .refine((p) => !p.split('/').includes('..'), 'no ".."')
      .default('/'),
    /** Hosts installed at once. */
    parallelism: z.number().int().min(1).max(50).default(5),
    /** k8s control planes only: one VIP with keepalived + ipvsadm after the cluster is up. */
    lvs_vip: z.string().max(64).nullable().default(null),
    /**
     * k8s: each host's role by its id. Unset: the first host is the control plane, the others
     * workers; set: hosts it does not name are workers, and it names at least one control plane.
     */
    roles: z
      .record(z.string().min(1).max(64), z.enum(['control-plane', 'worker']))
      .nullable()
      .default(null),
  })
  .strict();
export type InstallOptions = z.infer<typeof InstallOptions>;

export const K8S_ROLES = ['control-plane', 'worker'] as const;
export type K8sRole = (typeof K8S_ROLES)[number];

/** Each host's k8s role, in the task's host order (see `InstallOptions.roles`). */
export function rolesOf(hostIds: string[], options: Pick<InstallOptions, 'roles'>): Map<string, K8sRole> {
  return new Map(
    hostIds.map((id, i) => [
      id,
      options.roles ? (options.roles[id] ?? 'worker') : i === 0 ? 'control-plane' : 'worker',
    ]),
  );
}

/** `vip`: the follow-up task that sets up a k8s install's `lvs_vip` once the cluster is up. */
/** `cert_renew`: `kubeadm certs renew` on a platform-managed cluster's first control plane. */
export const INSTALL_ACTIONS = ['install', 'uninstall', 'rollback', 'vip', 'cert_renew'] as const;

/** The steps of a VIP task per control plane: `vip.<step>.<host_id>`. */
export const VIP_TASK_STEPS = ['preflight', 'render', 'vip'] as const;

/** The steps of a certificate renewal on the control plane: `certs.<step>.<host_id>`. */
export const CERT_RENEW_STEPS = ['preflight', 'renew'] as const;

/** `ADDRESS/PREFIXLEN`, IPv4 or IPv6: what keepalived's virtual_ipaddress takes. */
export const VIP_FORMAT = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*\/\d{1,3})$/;

/** The install steps of one host, in order. Step names in reports are `install.<step>.<host_id>`. */
export const INSTALL_STEPS = [
  'preflight',
  'upload',
  'verify',
  'install',
  'configure',
  'start',
  'post_check',
  'fingerprint',
] as const;
export type InstallStep = (typeof INSTALL_STEPS)[number];

export const InstallPayload = z.object({
  task_id: z.string(),
  environment_id: z.string(),
  action: z.enum(INSTALL_ACTIONS),
  runtime: z.enum(['compose', 'k8s']),
  version: z.string(),
  host_ids: z.array(z.string()).min(1),
  options: InstallOptions,
});
export type InstallPayload = z.infer<typeof InstallPayload>;

/** What the runner gets, sealed: the payload, the bundle's manifest entry, and each host's access. */
export const InstallWork = z.object({
  kind: z.literal('environment_install'),
  install: InstallPayload,
  bundle: BundleEntry,
  hosts: z.array(HostAccess).min(1),
});
export type InstallWork = z.infer<typeof InstallWork>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What an install left on a host, as `fingerprint.json` records it: the bundle, its version and
 * each installed file's sha256 by its path under the install prefix. The platform keeps it per
 * environment and host, for a later verify to compare the host's files against.
 */
export const HostFingerprint = z.object({
  runtime: z.enum(['compose', 'k8s']),
  version: z.string().max(64),
  files: z.record(z.string().max(255), Sha256),
});
export type HostFingerprint = z.infer<typeof HostFingerprint>;

export const fingerprintOf = (b: Pick<BundleEntry, 'runtime' | 'version' | 'files'>): HostFingerprint => ({
  runtime: b.runtime,
  version: b.version,
  files: Object.fromEntries(b.files.map((f) => [f.install_to, f.sha256])),
});

/** What a finished install reports per host in its completion's `result.hosts`. */
export const InstallHostResult = z.object({
  host_id: z.string(),
  status: z.enum(['succeeded', 'failed', 'skipped']),
  /** "already installed": the host had this exact version's fingerprint. */
  already: z.boolean().default(false),
  error_code: z.string().nullable().default(null),
  arch: z.string().nullable().default(null),
  distribution: z.string().nullable().default(null),
  /** compose: which compose the host will use (`v2`, `v1` or null). */
  compose: z.enum(['v1', 'v2']).nullable().default(null),
  /** The Docker socket or kube API endpoint the installed runtime answers on. */
  endpoint: z.string().nullable().default(null),
  /** A host that succeeded: what its `fingerprint.json` says (already installed ones too). */
  fingerprint: HostFingerprint.nullable().default(null),
});
export type InstallHostResult = z.infer<typeof InstallHostResult>;
