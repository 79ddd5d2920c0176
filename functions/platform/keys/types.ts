import { canonicalJson } from '../../../shared/canonical-json';

/** Every use of a data key names what it protects, so a key minted for one purpose is refused for another. */
export const KEY_PURPOSES = [
  'credential',
  'release_secret',
  'audit_checkpoint',
  'claim_seal',
  'ci_webhook_secret',
  'notification_secret',
] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/**
 * Bound to every wrapped key and ciphertext (KMS EncryptionContext, GCM AAD): put the ids of the row
 * the secret belongs to here, so a ciphertext copied into another row fails to open.
 */
export type EncryptionContext = { purpose: KeyPurpose } & Record<string, string>;

/** `plaintext` is the raw data key: zero it as soon as it has been used. */
export type DataKey = { plaintext: Buffer; wrapped: Buffer; keyId: string };

export interface KeyProvider {
  readonly kind: 'local' | 'kms';
  generateDataKey(ctx: EncryptionContext): Promise<DataKey>;
  unwrap(wrapped: Buffer, keyId: string, ctx: EncryptionContext): Promise<Buffer>;
  /** Re-wraps a data key under the current key (rotation); returns the new wrapped key and key id. */
  rewrap(wrapped: Buffer, keyId: string, ctx: EncryptionContext): Promise<{ wrapped: Buffer; keyId: string }>;
}

/**
 * Sealed data or a wrapped key failed authentication: tampering, a wrong context (the secret was
 * moved to another row) or a wrong key. Deliberately says no more than that.
 */
export class KeyIntegrityError extends Error {
  constructor(message = 'sealed data failed authentication') {
    super(message);
    this.name = 'KeyIntegrityError';
  }
}

/** The key a wrapped data key names is not available (unknown id, missing key file). */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super('the key that wrapped this data key is not available');
    this.name = 'UnknownKeyError';
  }
}

const CTX_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Refuses contexts KMS would refuse or that could make two different contexts serialise alike,
 * and returns the AAD bytes both providers and the envelope bind to.
 */
export function contextAad(ctx: EncryptionContext): Buffer {
  if (!(KEY_PURPOSES as readonly string[]).includes(ctx.purpose)) {
    throw new TypeError('encryption context: unknown purpose');
  }
  for (const [k, v] of Object.entries(ctx)) {
    if (!CTX_KEY.test(k)) throw new TypeError('encryption context: keys are snake_case identifiers');
    if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
      throw new TypeError(`encryption context: ${k} must be a non-empty string of at most 256 characters`);
    }
  }
  return Buffer.from(canonicalJson(ctx), 'utf8');
}
