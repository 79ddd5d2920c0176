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
  })
  .strict();
export type InstallOptions = z.infer<typeof InstallOptions>;

export const INSTALL_ACTIONS = ['install', 'uninstall', 'rollback'] as const;

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
});
export type InstallHostResult = z.infer<typeof InstallHostResult>;
