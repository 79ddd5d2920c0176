import { z } from 'zod';

/**
 * `script/manifests/index.yaml`: every runtime and version the install engine can put on a host,
 * the files of its bundle with their sha256, where each goes under the install prefix, the entry
 * points, and the platforms it supports. The platform checks install requests against it; the
 * runner verifies every file against it before the file leaves the runner, and again on the host.
 */
export const RUNTIMES = ['compose', 'k8s'] as const;
export const ARCHES = ['amd64', 'arm64'] as const;

const RelPath = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/+-]+$/, 'a relative path without ".."');

export const BundleFile = z
  .object({
    /** Inside the bundle (`bin/linux-amd64/dockerd-24.0.5`); file names carry the version. */
    path: RelPath,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Where it goes, relative to the install prefix (`usr/local/bin/dockerd`). */
    install_to: RelPath,
    mode: z
      .string()
      .regex(/^0[0-7]{3}$/)
      .default('0755'),
    /**
     * Only the optional VIP needs it (keepalived, ipvsadm and their libraries, built from Debian's
     * packages): an install whose runner lacks it goes on without it, and the VIP task then says so.
     */
    vip_only: z.boolean().optional(),
  })
  .strict();
export type BundleFile = z.infer<typeof BundleFile>;

export const Platform = z
  .object({
    os: z.literal('linux'),
    arch: z.enum(ARCHES),
    /** `ID-VERSION_ID` from /etc/os-release, e.g. `debian-12`, `ubuntu-22.04`. */
    distributions: z.array(z.string().regex(/^[a-z0-9.-]+$/)).min(1),
  })
  .strict();

export const BundleEntry = z
  .object({
    runtime: z.enum(RUNTIMES),
    version: z.string().regex(/^[0-9A-Za-z.+-]{1,64}$/),
    /** A stand-in bundle for tests (tiny scripts with the real CLI surface), never for production. */
    synthetic: z.boolean().default(false),
    description: z.string().max(500).default(''),
    platforms: z.array(Platform).min(1),
    files: z.array(BundleFile).min(1),
    /** Scripts inside the bundle, run on the host with `--prefix P --bundle DIR`. */
    entry: z
      .object({
        install: RelPath,
        uninstall: RelPath,
        start: RelPath,
        check: RelPath,
      })
      .strict(),
    /** Ports that must be free before install (preflight). */
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
    min_disk_mb: z.number().int().min(1).default(512),
    /** Where the upstream artifacts came from and how they were verified (documentation). */
    source: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type BundleEntry = z.infer<typeof BundleEntry>;

export const Manifest = z
  .object({ schema: z.literal(1), bundles: z.array(BundleEntry) })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.bundles.forEach((b, i) => {
      const key = `${b.runtime}@${b.version}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['bundles', i], message: `${key} twice` });
      seen.add(key);
    });
  });
export type Manifest = z.infer<typeof Manifest>;

/** The hook that sets up the optional control-plane VIP; a k8s entry offers `lvs_vip` only with it. */
export const VIP_SCRIPT = 'hooks/k8s/vip.sh';

export const findBundle = (m: Manifest, runtime: string, version: string) =>
  m.bundles.find((b) => b.runtime === runtime && b.version === version);
