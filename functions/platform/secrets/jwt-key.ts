import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../config';
import { getSecretString } from './secrets-manager';

/**
 * The HS256 signing key: a Secrets Manager string in the cloud (used as its UTF-8 bytes), or a
 * 256-bit key generated once into the data directory (mode 0600) locally.
 */
export async function loadJwtKey(config: Config): Promise<Uint8Array> {
  if (config.jwt.kind === 'secrets-manager') {
    const value = await getSecretString(config.jwt.secretArn, config.aws);
    if (value.length < 32) throw new Error('the JWT secret must hold at least 32 characters');
    return new TextEncoder().encode(value);
  }
  return readOrCreateKeyFile(config.jwt.path, 32);
}

export async function readOrCreateKeyFile(path: string, bytes: number): Promise<Uint8Array> {
  try {
    const raw = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (raw.length !== bytes) throw new Error(`key file ${path} does not hold ${bytes} bytes`);
    return new Uint8Array(raw);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(bytes);
  try {
    // 'wx': two processes racing here cannot both write a key; the loser reads the winner's.
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateKeyFile(path, bytes);
    throw e;
  }
  return new Uint8Array(key);
}
