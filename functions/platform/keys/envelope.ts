import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { contextAad, type EncryptionContext, KeyIntegrityError, type KeyProvider } from './types';

/**
 * Envelope encryption: every seal gets a fresh data key from the provider (one KMS call), the data is
 * encrypted locally with AES-256-GCM, and only the wrapped data key is stored beside it. The context
 * is the GCM AAD here and the KMS encryption context there, so an envelope copied into another row
 * (another credential id, another project) does not open.
 */
export type Envelope = {
  v: 1;
  alg: 'A256GCM';
  ciphertext: string;
  nonce: string;
  tag: string;
  wrapped_key: string;
  key_id: string;
};

/** An HMAC-SHA256 under a data key of its own, e.g. an audit checkpoint. */
export type MacRecord = { v: 1; alg: 'HS256'; mac: string; wrapped_key: string; key_id: string };

/** What rotation touches: the wrapped data key and the id of the key that wrapped it. */
export type WrappedKeyRef = { wrapped_key: string; key_id: string };

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

const b64 = (s: unknown, what: string): Buffer => {
  if (typeof s !== 'string' || s.length % 4 !== 0 || !B64.test(s)) {
    throw new KeyIntegrityError(`malformed ${what}`);
  }
  return Buffer.from(s, 'base64');
};

export async function seal(
  provider: KeyProvider,
  plaintext: Buffer,
  ctx: EncryptionContext,
): Promise<Envelope> {
  const aad = contextAad(ctx);
  const key = await provider.generateDataKey(ctx);
  try {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, nonce).setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      v: 1,
      alg: 'A256GCM',
      ciphertext: ciphertext.toString('base64'),
      nonce: nonce.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      wrapped_key: key.wrapped.toString('base64'),
      key_id: key.keyId,
    };
  } finally {
    key.plaintext.fill(0);
  }
}

export async function open(
  provider: KeyProvider,
  envelope: Envelope,
  ctx: EncryptionContext,
): Promise<Buffer> {
  const aad = contextAad(ctx);
  if (envelope?.v !== 1 || envelope.alg !== 'A256GCM') throw new KeyIntegrityError('unsupported envelope');
  const nonce = b64(envelope.nonce, 'nonce');
  const tag = b64(envelope.tag, 'tag');
  const ciphertext = b64(envelope.ciphertext, 'ciphertext');
  // Node would accept a short tag and check only its bytes; a forger would need far fewer tries.
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES)
    throw new KeyIntegrityError('malformed envelope');
  const dataKey = await provider.unwrap(b64(envelope.wrapped_key, 'wrapped key'), envelope.key_id, ctx);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce).setAAD(aad).setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new KeyIntegrityError();
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Moves a record's data key to the provider's current key (rotation); the sealed data and the MAC
 * stay as they are. Works on envelopes and MAC records alike.
 */
export async function rewrapKey<T extends WrappedKeyRef>(
  provider: KeyProvider,
  record: T,
  ctx: EncryptionContext,
): Promise<T> {
  const out = await provider.rewrap(b64(record.wrapped_key, 'wrapped key'), record.key_id, ctx);
  return { ...record, wrapped_key: out.wrapped.toString('base64'), key_id: out.keyId };
}

export async function hmac(provider: KeyProvider, data: Buffer, ctx: EncryptionContext): Promise<MacRecord> {
  const key = await provider.generateDataKey(ctx);
  try {
    return {
      v: 1,
      alg: 'HS256',
      mac: createHmac('sha256', key.plaintext).update(data).digest('base64'),
      wrapped_key: key.wrapped.toString('base64'),
      key_id: key.keyId,
    };
  } finally {
    key.plaintext.fill(0);
  }
}

/**
 * False when the data, the MAC, the wrapped key or the context differ from what was MACed: for an
 * audit checkpoint all of these mean "forged". A missing key or an unreachable KMS still throws,
 * because that says nothing about the data.
 */
export async function verifyHmac(
  provider: KeyProvider,
  data: Buffer,
  record: MacRecord,
  ctx: EncryptionContext,
): Promise<boolean> {
  if (record?.v !== 1 || record.alg !== 'HS256') return false;
  let key: Buffer;
  let expected: Buffer;
  try {
    expected = b64(record.mac, 'mac');
    key = await provider.unwrap(b64(record.wrapped_key, 'wrapped key'), record.key_id, ctx);
  } catch (e) {
    if (e instanceof KeyIntegrityError) return false;
    throw e;
  }
  try {
    const actual = createHmac('sha256', key).update(data).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  } finally {
    key.fill(0);
  }
}
