/**
 * The bundle as the runner holds it. Every file is hashed against the manifest entry before any
 * of it leaves the runner: a tampered or truncated file stops the job while the hosts are still
 * untouched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleEntry, BundleFile } from '../../shared/install/manifest';
import { StepError } from '../jobs/steps';

export type LocalFile = BundleFile & { local: string; size: number };

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Files the uninstall needs on a host: the entry scripts and what they source. */
export const isHook = (f: BundleFile) => f.path.startsWith('hooks/');
/** Rendered on the host by the configure step (install.sh), so its installed sha256 is the host's own. */
export const isTemplate = (f: BundleFile) => f.path.endsWith('.tmpl');

/**
 * The entry as this runner can install it: the VIP's tools (`vip_only`) are built from Debian's
 * packages by `bundle:build` and absent from a fresh checkout, and a cluster needs them only for
 * the optional VIP, whose task then names what is missing. Anything else missing stays an error.
 */
export async function installable(
  entry: BundleEntry,
  bundleDir: string,
): Promise<{ entry: BundleEntry; notBuilt: string[] }> {
  const notBuilt: string[] = [];
  for (const f of entry.files.filter((f) => f.vip_only))
    if (!(await stat(join(bundleDir, f.path)).catch(() => null))) notBuilt.push(f.path);
  if (!notBuilt.length) return { entry, notBuilt };
  return { entry: { ...entry, files: entry.files.filter((f) => !notBuilt.includes(f.path)) }, notBuilt };
}

/** What to run where the runner is for the VIP's tools to be built. */
export const buildCommand = (e: Pick<BundleEntry, 'runtime' | 'version'>) =>
  `npm run bundle:build -- --runtime ${e.runtime} --version ${e.version}`;

export async function checkLocalBundle(entry: BundleEntry, bundleDir: string): Promise<LocalFile[]> {
  const missing: string[] = [];
  const wrong: string[] = [];
  const files: LocalFile[] = [];
  for (const f of entry.files) {
    const local = join(bundleDir, f.path);
    const info = await stat(local).catch(() => null);
    if (!info?.isFile()) {
      missing.push(f.path);
      continue;
    }
    if ((await sha256File(local)) !== f.sha256) wrong.push(f.path);
    files.push({ ...f, local, size: info.size });
  }
  const name = `${entry.runtime} ${entry.version}`;
  if (missing.length) {
    throw new StepError('BUNDLE_MISSING', `the runner's bundle for ${name} lacks ${missing.join(', ')}`, {
      detail: { missing },
    });
  }
  if (wrong.length) {
    throw new StepError(
      'CHECKSUM_MISMATCH',
      `the runner's copy of ${wrong.join(', ')} does not match the manifest's sha256 for ${name}; nothing was uploaded`,
      { detail: { files: wrong } },
    );
  }
  return files;
}

/** `path<TAB>install_to<TAB>mode` per file: what the install entry script reads. */
export const filesTsv = (entry: BundleEntry) =>
  entry.files.map((f) => `${f.path}\t${f.install_to}\t${f.mode}\n`).join('');

export const sha256Text = (text: string) => createHash('sha256').update(text).digest('hex');
