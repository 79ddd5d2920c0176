import type { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../config';
import {
  contextAad,
  type DataKey,
  type EncryptionContext,
  KeyIntegrityError,
  type KeyProvider,
  UnknownKeyError,
} from './types';

/**
 * AWS KMS as the key provider: data keys come from GenerateDataKey under `keyId` and are unwrapped
 * by Decrypt, both bound to the encryption context. Rotation inside one key is KMS's own business
 * (it keeps old key material); moving to another key means configuring its id and re-wrapping with
 * ReEncrypt, which never exposes the data key to this process.
 */
export type KmsKeyProviderOptions = {
  /** Key id, ARN or alias new data keys are generated under and re-wraps move to. */
  keyId: string;
  aws: Config['aws'];
  /** Tests pass a client with a fake request handler; otherwise one is built on first use. */
  client?: KMSClient;
};

type Sdk = typeof import('@aws-sdk/client-kms');

/** KMS answers a wrong context, a wrong key and a tampered blob all alike; so do we. */
const INTEGRITY_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

export function createKmsKeyProvider(options: KmsKeyProviderOptions): KeyProvider {
  let loaded: Promise<{ sdk: Sdk; client: KMSClient }> | undefined;

  // Imported where first used: the SDK costs a Lambda cold start time it should not pay for /health.
  function kms() {
    if (!loaded) {
      loaded = import('@aws-sdk/client-kms').then((sdk) => ({
        sdk,
        client:
          options.client ??
          new sdk.KMSClient({
            ...(options.aws.region ? { region: options.aws.region } : {}),
            ...(options.aws.endpoint ? { endpoint: options.aws.endpoint } : {}),
          }),
      }));
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  }

  async function call<T>(run: (sdk: Sdk, client: KMSClient) => Promise<T>, keyId: string): Promise<T> {
    const { sdk, client } = await kms();
    try {
      return await run(sdk, client);
    } catch (e) {
      const name = (e as Error).name;
      if (INTEGRITY_ERRORS.has(name)) throw new KeyIntegrityError();
      if (name === 'NotFoundException') throw new UnknownKeyError(keyId);
      throw e;
    }
  }

  /** Copies the SDK's buffer and wipes it, so the only plaintext copy left is the one we zero later. */
  function takePlaintext(bytes: Uint8Array | undefined): Buffer {
    if (bytes?.length !== 32) throw new Error('KMS returned no 256-bit data key');
    const out = Buffer.from(bytes);
    bytes.fill(0);
    return out;
  }

  function blob(bytes: Uint8Array | undefined, what: string): Buffer {
    if (!bytes?.length) throw new Error(`KMS returned no ${what}`);
    return Buffer.from(bytes);
  }

  return {
    kind: 'kms',
    async generateDataKey(ctx: EncryptionContext): Promise<DataKey> {
      contextAad(ctx);
      const out = await call(
        (sdk, client) =>
          client.send(
            new sdk.GenerateDataKeyCommand({
              KeyId: options.keyId,
              KeySpec: 'AES_256',
              EncryptionContext: { ...ctx },
            }),
          ),
        options.keyId,
      );
      if (!out.KeyId) throw new Error('KMS returned no key id');
      return {
        plaintext: takePlaintext(out.Plaintext),
        wrapped: blob(out.CiphertextBlob, 'ciphertext blob'),
        keyId: out.KeyId,
      };
    },
    async unwrap(wrapped, keyId, ctx) {
      contextAad(ctx);
      const out = await call(
        (sdk, client) =>
          client.send(
            // KeyId pins the key: a blob naming some other key in the account is refused.
            new sdk.DecryptCommand({ CiphertextBlob: wrapped, KeyId: keyId, EncryptionContext: { ...ctx } }),
          ),
        keyId,
      );
      return takePlaintext(out.Plaintext);
    },
    async rewrap(wrapped, keyId, ctx) {
      contextAad(ctx);
      const out = await call(
        (sdk, client) =>
          client.send(
            new sdk.ReEncryptCommand({
              CiphertextBlob: wrapped,
              SourceKeyId: keyId,
              SourceEncryptionContext: { ...ctx },
              DestinationKeyId: options.keyId,
              DestinationEncryptionContext: { ...ctx },
            }),
          ),
        keyId,
      );
      if (!out.KeyId) throw new Error('KMS returned no key id');
      return { wrapped: blob(out.CiphertextBlob, 'ciphertext blob'), keyId: out.KeyId };
    },
  };
}
