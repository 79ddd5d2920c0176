import { z } from 'zod';
import { HostFingerprint, InstallOptions } from '../install/work';
import { HostAccess } from './access';
import { authSecrets, defineJobKind } from './define';

/**
 * Drift: does each host still hold the files its last install put there? The payload carries the
 * expectation as the platform stored it when the verify was asked for, so the report compares
 * with exactly what was sent, even if a newer install lands meanwhile.
 */
export const VerifyHost = z.object({
  host_id: z.string(),
  /** The install prefix the files live under (the install's `options.prefix`). */
  prefix: InstallOptions.shape.prefix,
  fingerprint: HostFingerprint,
});
export type VerifyHost = z.infer<typeof VerifyHost>;

export const InstallVerifyPayload = z.object({
  environment_id: z.string(),
  hosts: z.array(VerifyHost).min(1),
});
export type InstallVerifyPayload = z.infer<typeof InstallVerifyPayload>;

export const InstallVerifyWork = z.object({
  kind: z.literal('install_verify'),
  verify: InstallVerifyPayload,
  hosts: z.array(HostAccess).min(1),
});
export type InstallVerifyWork = z.infer<typeof InstallVerifyWork>;

/**
 * What the runner read per host, in its completion's `result.hosts`: each expected path's sha256
 * as the host has it, null where the file is gone. The platform, not the runner, calls it drift.
 */
export const VerifyHostResult = z.object({
  host_id: z.string(),
  status: z.enum(['succeeded', 'failed']),
  error_code: z.string().nullable().default(null),
  actual: z
    .record(
      z.string().max(255),
      z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
    )
    .default({}),
});
export type VerifyHostResult = z.infer<typeof VerifyHostResult>;

export const installVerifyKind = defineJobKind({
  kind: 'install_verify',
  version: 1,
  payload: InstallVerifyPayload,
  work: InstallVerifyWork,
  hostsOf: (p) => p.hosts.map((h) => h.host_id),
  secretsOf: (w) => w.hosts.flatMap(authSecrets),
});
