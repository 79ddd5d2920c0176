import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open, seal } from './envelope';
import { createLocalKeyProvider } from './local';
import { createKeyProvider, localKeyringDir } from './provider';
import { type EncryptionContext, UnknownKeyError } from './types';

const ctx: EncryptionContext = { purpose: 'release_secret', release_id: 'rel_1', project_id: 'prj_1' };

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'k8sm-local-keys-'));
  dir = join(root, 'keys');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('local key provider', () => {
  it('creates its keyring on first use: directory 0700, master key and pointer 0600', async () => {
    const provider = createLocalKeyProvider(dir);
    expect(await provider.keyIds()).toEqual([]);
    const id = await provider.currentKeyId();
    expect(id).toMatch(/^local-[0-9a-f]{16}$/);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, `${id}.key`))).toBe(0o600);
    expect(await mode(join(dir, 'current'))).toBe(0o600);
    expect((await readFile(join(dir, 'current'), 'utf8')).trim()).toBe(id);
  });

  it('names a master key by the first 16 hex digits of its SHA-256', async () => {
    const id = await createLocalKeyProvider(dir).currentKeyId();
    const key = Buffer.from((await readFile(join(dir, `${id}.key`), 'utf8')).trim(), 'base64');
    expect(key).toHaveLength(32);
    expect(id).toBe(`local-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  });

  it('agrees on one master key when several processes start at once', async () => {
    const providers = Array.from({ length: 6 }, () => createLocalKeyProvider(dir));
    const ids = await Promise.all(providers.map((p) => p.currentKeyId()));
    expect(new Set(ids).size).toBe(1);
    // The losers remove the keys they wrote, so no orphan key file is left behind.
    expect(await providers[0]!.keyIds()).toEqual([ids[0]]);
  });

  it('opens after a restart what it sealed before', async () => {
    const env = await seal(createLocalKeyProvider(dir), Buffer.from('s3cret-value'), ctx);
    expect((await open(createLocalKeyProvider(dir), env, ctx)).toString()).toBe('s3cret-value');
  });

  it('keeps old master keys after a rotation, and a restart uses the new one', async () => {
    const provider = createLocalKeyProvider(dir);
    const first = await provider.currentKeyId();
    const old = await seal(provider, Buffer.from('before'), ctx);
    const second = await provider.rotate();
    expect(second).not.toBe(first);
    expect(await provider.currentKeyId()).toBe(second);
    expect((await provider.keyIds()).sort()).toEqual([first, second].sort());
    expect(await mode(join(dir, `${second}.key`))).toBe(0o600);
    expect(await mode(join(dir, 'current'))).toBe(0o600);

    const restarted = createLocalKeyProvider(dir);
    expect(await restarted.currentKeyId()).toBe(second);
    expect((await open(restarted, old, ctx)).toString()).toBe('before');
    expect((await seal(restarted, Buffer.from('after'), ctx)).key_id).toBe(second);
  });

  it('serialises concurrent rotations', async () => {
    const provider = createLocalKeyProvider(dir);
    const ids = await Promise.all([provider.rotate(), provider.rotate(), provider.rotate()]);
    expect(new Set(ids).size).toBe(3);
    expect(await provider.currentKeyId()).toBe(ids[2]);
    expect(await createLocalKeyProvider(dir).currentKeyId()).toBe(ids[2]);
  });

  it('refuses a key id that is not a local key id, so a stored id cannot name another file', async () => {
    const provider = createLocalKeyProvider(dir);
    const key = await provider.generateDataKey(ctx);
    for (const id of ['../current', 'local-../../etc/passwd', 'arn:aws:kms:x', 'local-0000000000000000']) {
      await expect(provider.unwrap(key.wrapped, id, ctx)).rejects.toBeInstanceOf(UnknownKeyError);
    }
  });

  it('refuses a master key file whose content does not match its name', async () => {
    const id = await createLocalKeyProvider(dir).currentKeyId();
    await writeFile(join(dir, `${id}.key`), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    await expect(createLocalKeyProvider(dir).currentKeyId()).rejects.toThrow(/damaged/);
  });

  it('refuses a pointer file that names no key', async () => {
    await createLocalKeyProvider(dir).currentKeyId();
    await writeFile(join(dir, 'current'), 'garbage\n');
    await expect(createLocalKeyProvider(dir).currentKeyId()).rejects.toThrow(/does not name a master key/);
  });

  it('is what the platform picks without a KMS key id, in <data dir>/keys', async () => {
    const provider = createKeyProvider({
      dataDir: root,
      kmsKeyId: undefined,
      aws: { region: undefined, endpoint: undefined },
    });
    expect(provider.kind).toBe('local');
    await provider.generateDataKey(ctx);
    expect(await mode(localKeyringDir(root))).toBe(0o700);
    const kms = createKeyProvider({
      dataDir: root,
      kmsKeyId: 'alias/x',
      aws: { region: 'eu-west-1', endpoint: undefined },
    });
    expect(kms.kind).toBe('kms');
  });
});
