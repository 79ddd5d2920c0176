import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleEntry } from '../../shared/install/manifest';

/**
 * Where an install lives on a host, all under the install prefix. The bundle's directory and the
 * state directory carry runtime and version, so two versions never share markers or files.
 */
export type HostPaths = {
  prefix: string;
  /** The prefix without its trailing slash: `''` for `/`, so `${root}/etc` is always right. */
  root: string;
  /** `<runtime>-<version>` */
  name: string;
  bundle: string;
  state: string;
  steps: string;
  list: string;
  fingerprint: string;
};

export function hostPaths(prefix: string, bundle: Pick<BundleEntry, 'runtime' | 'version'>): HostPaths {
  const root = prefix.replace(/\/+$/, '');
  const name = `${bundle.runtime}-${bundle.version}`;
  const state = `${root}/var/lib/k8s-manage/install/${name}`;
  return {
    prefix: root === '' ? '/' : root,
    root,
    name,
    bundle: `${root}/opt/k8s-manage/bundles/${name}`,
    state,
    steps: `${state}/steps`,
    list: `${state}/installed.list`,
    fingerprint: `${root}/etc/k8s-manage/fingerprint.json`,
  };
}

/** The arguments every entry script takes. */
export const entryArgs = (p: HostPaths) => ['--prefix', p.prefix, '--bundle', p.bundle];

const hasManifest = (dir: string) => existsSync(join(dir, 'manifests', 'index.yaml'));

/**
 * The bundle directory when `--bundle-dir` is not given: a `script/` beside the runner's file (how
 * the single-file runner ships), the checkout's `script/` (running from source), then `script/`
 * under the working directory. The first that holds a manifest wins.
 */
export function defaultBundleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'script'), resolve(here, '..', '..', 'script'), resolve('script')];
  return candidates.find(hasManifest) ?? candidates[1]!;
}
