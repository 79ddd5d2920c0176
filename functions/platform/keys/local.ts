import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  contextAad,
  type DataKey,
  type EncryptionContext,
  KeyIntegrityError,
  type KeyProvider,
  UnknownKeyError,
} from './types';

/**
 * The embedded key provider: 256-bit master keys in files of one directory (mode 0600, the directory
 * 0700), each named by its id, and a `current` file naming the one new data keys are wrapped with.
 * Old master keys stay readable after a rotation, because data keys wrapped with them are still
 * stored until the rotation has re-wrapped every one of them.
 *
 * One process owns a data directory (the lock file), so the keyring is cached in memory.
 */
export type LocalKeyProvider = KeyProvider & {
  readonly kind: 'local';
  currentKeyId(): Promise<string>;
  /** Makes a new master key current and returns its id; old keys stay readable. */
  rotate(): Promise<string>;
  /** Every master key id in the directory, for a rotation to check what is still in use. */
  keyIds(): Promise<string[]>;
};

const KEY_ID = /^local-[0-9a-f]{16}$/;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Leading byte of a wrapped key, so the wrapping format can change without guessing. */
const WRAP_V1 = 1;
const WRAPPED_BYTES = 1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES;

export const localKeyId = (key: Buffer) =>
  `local-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

export function createLocalKeyProvider(dir: string): LocalKeyProvider {
  const keys = new Map<string, Buffer>();
  let current: Promise<string> | undefined;
  // Rotations queue behind each other so `current` always names the last key written.
  let rotating: Promise<unknown> = Promise.resolve();
  const currentPath = join(dir, 'current');
  const keyPath = (id: string) => join(dir, `${id}.key`);

  async function loadKey(id: string): Promise<Buffer> {
    // The id comes from a database row: never let it name a path outside the keyring.
    if (!KEY_ID.test(id)) throw new UnknownKeyError(id);
    const cached = keys.get(id);
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(keyPath(id), 'utf8');
    } catch (e) {
      if (errno(e) === 'ENOENT') throw new UnknownKeyError(id);
      throw e;
    }
    const key = Buffer.from(text.trim(), 'base64');
    // A truncated or swapped file would otherwise only show up as "tampered data" much later.
    if (key.length !== KEY_BYTES || localKeyId(key) !== id) {
      throw new Error(`master key file ${keyPath(id)} is damaged: its content does not match its name`);
    }
    keys.set(id, key);
    return key;
  }

  async function writeNewKey(): Promise<string> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(KEY_BYTES);
    const id = localKeyId(key);
    await writeFile(keyPath(id), `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    keys.set(id, key);
    return id;
  }

  async function readCurrent(): Promise<string> {
    try {
      const id = (await readFile(currentPath, 'utf8')).trim();
      if (!KEY_ID.test(id)) throw new Error(`${currentPath} does not name a master key`);
      await loadKey(id);
      return id;
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw e;
    }
    const id = await writeNewKey();
    try {
      // 'wx': of two processes racing through a first start, one pointer wins; the loser adopts it.
      await writeFile(currentPath, `${id}\n`, { mode: 0o600, flag: 'wx' });
      return id;
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
      keys.delete(id);
      await unlink(keyPath(id)).catch(() => undefined);
      return readCurrent();
    }
  }

  function currentKeyId(): Promise<string> {
    if (!current) {
      current = readCurrent();
      current.catch(() => {
        current = undefined;
      });
    }
    return current;
  }

  function wrap(master: Buffer, dataKey: Buffer, aad: Buffer): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', master, nonce).setAAD(aad);
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.of(WRAP_V1), nonce, body, cipher.getAuthTag()]);
  }

  async function unwrap(wrapped: Buffer, keyId: string, ctx: EncryptionContext): Promise<Buffer> {
    const aad = contextAad(ctx);
    const master = await loadKey(keyId);
    if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== WRAP_V1) throw new KeyIntegrityError();
    const nonce = wrapped.subarray(1, 1 + NONCE_BYTES);
    const body = wrapped.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + KEY_BYTES);
    const tag = wrapped.subarray(1 + NONCE_BYTES + KEY_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', master, nonce).setAAD(aad).setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new KeyIntegrityError();
    }
  }

  return {
    kind: 'local',
    currentKeyId,
    async generateDataKey(ctx: EncryptionContext): Promise<DataKey> {
      const aad = contextAad(ctx);
      const keyId = await currentKeyId();
      const plaintext = randomBytes(KEY_BYTES);
      return { plaintext, wrapped: wrap(await loadKey(keyId), plaintext, aad), keyId };
    },
    unwrap,
    async rewrap(wrapped, keyId, ctx) {
      const dataKey = await unwrap(wrapped, keyId, ctx);
      try {
        const target = await currentKeyId();
        return { wrapped: wrap(await loadKey(target), dataKey, contextAad(ctx)), keyId: target };
      } finally {
        dataKey.fill(0);
      }
    },
    rotate() {
      const next = rotating.then(async () => {
        await currentKeyId();
        const id = await writeNewKey();
        // Write-then-rename: a crash leaves either the old pointer or the new one, never half a file.
        const tmp = join(dir, `current.${randomBytes(6).toString('hex')}.tmp`);
        await writeFile(tmp, `${id}\n`, { mode: 0o600, flag: 'wx' });
        await rename(tmp, currentPath);
        current = Promise.resolve(id);
        return id;
      });
      rotating = next.catch(() => undefined);
      return next;
    },
    async keyIds() {
      try {
        return (await readdir(dir))
          .filter((f) => f.endsWith('.key'))
          .map((f) => f.slice(0, -'.key'.length))
          .filter((id) => KEY_ID.test(id))
          .sort();
      } catch (e) {
        if (errno(e) === 'ENOENT') return [];
        throw e;
      }
    },
  };
}
