import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Manifest } from '../../../shared/install/manifest';

/** What the platform checks install requests against; null: this platform ships no bundles. */
export type ManifestSource = () => Promise<Manifest | null>;

/**
 * Where the bundle manifest is looked for when no path is configured: the working directory
 * (the Lambda's task root, where the build copies it), then the source tree next to this module.
 */
export function defaultManifestPaths(): string[] {
  return [
    'script/manifests/index.yaml',
    fileURLToPath(new URL('../../../script/manifests/index.yaml', import.meta.url)),
  ];
}

export async function readManifest(path: string): Promise<Manifest> {
  const { parse } = await import('yaml');
  return Manifest.parse(parse(await readFile(path, 'utf8')));
}

const cache = new Map<string, Promise<Manifest | null>>();

/**
 * The manifest of `configured` (or the first default path that exists), read once per process.
 * A configured path that is missing or invalid is an error; a missing default means no bundles.
 */
export function manifestFrom(configured: string | undefined): ManifestSource {
  const key = configured ?? '';
  return () => {
    let p = cache.get(key);
    if (!p) {
      const path = configured ?? defaultManifestPaths().find((f) => existsSync(f));
      p = path ? readManifest(path) : Promise.resolve(null);
      // A failure is not cached: a fixed file is picked up without a restart.
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return p;
  };
}
