import { join } from 'node:path';
import type { Config } from '../config';
import { createKmsKeyProvider } from './kms';
import { createLocalKeyProvider } from './local';
import type { KeyProvider } from './types';

/** Chosen once from config: KMS when `K8SM_KMS_KEY_ID` is set, the data directory's keyring otherwise. */
export function createKeyProvider(config: Pick<Config, 'dataDir' | 'kmsKeyId' | 'aws'>): KeyProvider {
  if (config.kmsKeyId) return createKmsKeyProvider({ keyId: config.kmsKeyId, aws: config.aws });
  return createLocalKeyProvider(localKeyringDir(config.dataDir));
}

export const localKeyringDir = (dataDir: string) => join(dataDir, 'keys');
