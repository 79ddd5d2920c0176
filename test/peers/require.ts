import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Daemons such as sshd live in sbin, which a non-login PATH often lacks. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The absolute path of a binary (PATH, then the sbin directories), or null. */
export function which(binary: string): string | null {
  if (binary.includes('/')) return executable(binary) ? binary : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const dir of dirs) {
    const path = join(dir, binary);
    if (executable(path)) return path;
  }
  return null;
}

/**
 * Whether a test's peer binaries are installed. A developer's machine without them skips the
 * test; CI must never pass by skipping, so there a missing binary is an error.
 */
export function peerAvailable(binaries: string[]): boolean {
  const missing = binaries.filter((b) => which(b) === null);
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') {
    throw new Error(`test peer binaries missing (CI runs every peer test): ${missing.join(', ')}`);
  }
  return false;
}

/** The absolute path of a binary a peer cannot run without. */
export function requireBinary(binary: string): string {
  const path = which(binary);
  if (!path) throw new Error(`test peer binary not found: ${binary}`);
  return path;
}
