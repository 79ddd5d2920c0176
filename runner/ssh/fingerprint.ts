import { createHash } from 'node:crypto';

/**
 * A host key's fingerprint in the form `ssh-keygen -lf` prints and operators compare by eye:
 * `SHA256:` and the unpadded base64 of the SHA-256 of the raw public key blob.
 */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
