import type { InstallBundle, InstallBundles } from '../../../shared/contracts/installs';
import { type BundleEntry, type Manifest, RUNTIMES, VIP_SCRIPT } from '../../../shared/install/manifest';

const byVersionDesc = (a: BundleEntry, b: BundleEntry) =>
  b.version.localeCompare(a.version, 'en', { numeric: true });

const toBundle = (b: BundleEntry): InstallBundle => ({
  runtime: b.runtime,
  version: b.version,
  synthetic: b.synthetic,
  description: b.description,
  platforms: b.platforms.map((p) => ({ os: p.os, arch: p.arch, distributions: [...p.distributions] })),
  ports: [...b.ports],
  min_disk_mb: b.min_disk_mb,
  lvs_vip: b.runtime === 'k8s' && b.files.some((f) => f.path === VIP_SCRIPT),
});

/**
 * What an install may ask for, from the manifest the platform checks requests against: file
 * lists, checksums and sources stay out (they are the runner's business). No manifest: nothing.
 */
export function bundlesView(m: Manifest | null): InstallBundles {
  const items = RUNTIMES.flatMap((r) =>
    (m?.bundles ?? [])
      .filter((b) => b.runtime === r)
      .sort(byVersionDesc)
      .map(toBundle),
  );
  return { runtimes: RUNTIMES.filter((r) => items.some((b) => b.runtime === r)), items };
}
