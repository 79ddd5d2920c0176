/**
 * A copy of script/ with an entry's Debian parts built into it by the same code as `npm run
 * bundle:build` (apt-get download, dpkg-deb -x). Each build downloads tens of megabytes, so it is
 * built once per test run into a directory the global setup provides and removes, and the test
 * files that need it share it. The checkout's script/ stays as it is. Outside CI it is null where
 * apt cannot download the packages.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { build, SCRIPT_DIR } from '../../script-tools/bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    builtBundles: string;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function builtBundle(runtime: string, version: string): Promise<string | null> {
  const dir = join(inject('builtBundles'), `${runtime}-${version}`);
  const done = join(dir, '.built');
  const lock = `${dir}.lock`;
  try {
    mkdirSync(lock);
  } catch {
    // Another test file is building it: its lock goes when it has finished, built or not.
    for (let i = 0; i < 3000 && existsSync(lock) && !existsSync(done); i++) await sleep(100);
    return existsSync(done) ? dir : null;
  }
  try {
    if (existsSync(done)) return dir;
    cpSync(SCRIPT_DIR, dir, { recursive: true, filter: (src) => !src.includes('/real') });
    await build(runtime, version, dir);
    writeFileSync(done, '');
    return dir;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI === 'true') throw e;
    return null;
  } finally {
    // Kept after a success: later files see `.built`.
    if (!existsSync(done)) rmSync(lock, { recursive: true, force: true });
  }
}
