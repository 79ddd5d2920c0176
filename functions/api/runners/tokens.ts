import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Runner-side secrets. Only SHA-256 hashes are stored: the tokens are 256-bit random values, so
 * a plain hash is enough (no password stretching needed) and lookups stay one indexed query.
 */
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const newRegistrationToken = () => `k8smreg_${randomBytes(32).toString('base64url')}`;

/** The runner id travels inside its token, so authentication is a primary-key lookup. */
export const newRunnerToken = (runnerId: string) =>
  `k8smrt.${runnerId}.${randomBytes(32).toString('base64url')}`;

export function runnerIdOf(token: string): string | null {
  const m = /^k8smrt\.([a-z]{3}_[0-9a-z]{10,40})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m?.[1] ?? null;
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
