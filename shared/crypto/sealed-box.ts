import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { z } from 'zod';

/**
 * Sealing to a runner's registered key: an ephemeral X25519 key agrees a secret with the
 * runner's public key, HKDF-SHA256 turns it into an AES-256-GCM key, and the associated data
 * binds the box to what it was sealed for (job id and lease token), so a box replayed into
 * another claim fails to open. Only the holder of the runner's private key can open it; the
 * platform keeps no way to open what it sealed.
 */
export const SEALED_BOX_ALG = 'X25519-HKDF-SHA256-A256GCM' as const;

const base64url = (bytes?: number) =>
  bytes === undefined
    ? z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url')
    : z
        .string()
        .regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`), `${bytes} bytes, base64url`);

/** A box as it travels in a claim; the runner checks a claim's box against this before opening it. */
export const SealedBox = z.object({
  alg: z.literal(SEALED_BOX_ALG),
  /** The ephemeral public key, raw 32 bytes. */
  epk: base64url(32),
  /** The AES-GCM nonce. */
  iv: base64url(12),
  ct: base64url(),
  tag: base64url(16),
});
export type SealedBox = z.infer<typeof SealedBox>;

const INFO = Buffer.from('k8s-manage/sealed-box/v1', 'utf8');
const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

/** A raw X25519 public key (32 bytes, base64url, as in a JWK's `x`), or a TypeError. */
export function publicKeyFromRaw(raw: string): KeyObject {
  if (!RAW_KEY.test(raw) || Buffer.from(raw, 'base64url').length !== 32)
    throw new TypeError('public_key must be a raw X25519 key: 32 bytes, base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'X25519' || typeof jwk.x !== 'string') throw new TypeError('not an X25519 key');
  return jwk.x;
}

export function generateSealingKeyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublicKey(publicKey), privateKey };
}

function boxKey(shared: Buffer, epk: string, recipient: string): Buffer {
  // Both public keys go into the salt: the key is bound to this exact pair.
  const salt = Buffer.from(`${epk}.${recipient}`, 'utf8');
  return Buffer.from(hkdfSync('sha256', shared, salt, INFO, 32));
}

export function seal(recipientRaw: string, plaintext: Buffer, aad: string): SealedBox {
  const recipient = publicKeyFromRaw(recipientRaw);
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublicKey(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const key = boxKey(shared, epk, recipientRaw);
  shared.fill(0);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  return {
    alg: SEALED_BOX_ALG,
    epk,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/** Throws on a wrong key, a changed byte or a different `aad`; says nothing more. */
export function openBox(privateKey: KeyObject, box: SealedBox, aad: string): Buffer {
  if (box.alg !== SEALED_BOX_ALG) throw new Error('sealed box: unknown algorithm');
  const recipientRaw = rawPublicKey(createPublicKey(privateKey));
  const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(box.epk) });
  const key = boxKey(shared, box.epk, recipientRaw);
  shared.fill(0);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(box.ct, 'base64url')), decipher.final()]);
  } catch {
    throw new Error('sealed box failed authentication');
  } finally {
    key.fill(0);
  }
}

/** What a box is bound to: the job and the lease it was sealed for. */
export const claimAad = (jobId: string, leaseToken: number) => `claim:${jobId}:${leaseToken}`;
