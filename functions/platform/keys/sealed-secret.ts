import type { StoredEnvelope } from '../db/schema/credentials';
import { open, seal } from './envelope';
import type { EncryptionContext, KeyProvider } from './types';

/**
 * A secret string sealed to its row's context (a webhook or signing secret shown once). The
 * plaintext buffer is zeroed as soon as it has been sealed or read.
 */
export async function sealSecretString(
  keys: KeyProvider,
  secret: string,
  context: EncryptionContext,
): Promise<StoredEnvelope> {
  const plain = Buffer.from(secret, 'utf8');
  try {
    return (await seal(keys, plain, context)) as StoredEnvelope;
  } finally {
    plain.fill(0);
  }
}

export async function openSecretString(
  keys: KeyProvider,
  envelope: StoredEnvelope,
  context: EncryptionContext,
): Promise<string> {
  const plain = await open(keys, envelope as never, context);
  try {
    return plain.toString('utf8');
  } finally {
    plain.fill(0);
  }
}

/** What a deleted row keeps instead of its envelope: nothing that could be opened again. */
export const SHREDDED_ENVELOPE: StoredEnvelope = {
  v: 0,
  alg: 'none',
  ciphertext: '',
  nonce: '',
  tag: '',
  wrapped_key: '',
  key_id: 'deleted',
};
