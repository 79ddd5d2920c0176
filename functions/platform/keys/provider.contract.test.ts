/**
 * One contract, both key providers. The local provider runs on a temporary directory. KMS is faked
 * at the SDK boundary (a request handler speaking the KMS JSON 1.1 wire protocol, see
 * test/support/fake-kms.ts) because no KMS emulator runs on this machine: the real SDK client still
 * serialises, signs and parses every call.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeKms } from '../../../test/support/fake-kms';
import { hmac, open, rewrapKey, seal, verifyHmac } from './envelope';
import { createKmsKeyProvider } from './kms';
import { createLocalKeyProvider } from './local';
import { type EncryptionContext, KeyIntegrityError, type KeyProvider } from './types';

type Harness = {
  provider: KeyProvider;
  /** Makes a new key current; returns the provider to use from now on. */
  rotate(): Promise<KeyProvider>;
  /** Provider calls that would be KMS round trips; undefined where no remote is involved. */
  remoteCalls(): Record<string, number> | undefined;
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const harnesses: [string, () => Promise<Harness>][] = [
  [
    'local',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'k8sm-keys-'));
      dirs.push(dir);
      const provider = createLocalKeyProvider(join(dir, 'keys'));
      return {
        provider,
        rotate: async () => {
          await provider.rotate();
          return provider;
        },
        remoteCalls: () => undefined,
      };
    },
  ],
  [
    'kms',
    async () => {
      const fake = new FakeKms();
      fake.createKey('alias/k8sm-a');
      fake.createKey('alias/k8sm-b');
      const client = fake.client();
      const aws = { region: 'eu-west-1', endpoint: undefined };
      return {
        provider: createKmsKeyProvider({ keyId: 'alias/k8sm-a', aws, client }),
        // KMS rotates key material itself; what the platform rotates is which key it is configured with.
        rotate: async () => createKmsKeyProvider({ keyId: 'alias/k8sm-b', aws, client }),
        remoteCalls: () => ({ ...fake.calls }),
      };
    },
  ],
];

const ctx: EncryptionContext = { purpose: 'credential', credential_id: 'cred_1', project_id: 'prj_1' };
const secret = () => Buffer.from('-----BEGIN OPENSSH PRIVATE KEY----- not really -----END');

const flip = (b64: string, at = 0) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};

describe.each(harnesses)('key provider contract: %s', (_name, make) => {
  let h: Harness;
  beforeEach(async () => {
    h = await make();
  });

  it('opens what it sealed', async () => {
    const env = await seal(h.provider, secret(), ctx);
    expect(env).toMatchObject({ v: 1, alg: 'A256GCM' });
    expect(Buffer.from(env.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(env.tag, 'base64')).toHaveLength(16);
    expect(JSON.parse(JSON.stringify(env))).toEqual(env);
    expect(env.ciphertext).not.toContain(secret().toString('base64'));
    expect(await open(h.provider, env, ctx)).toEqual(secret());
  });

  it('uses a fresh data key and nonce for every seal', async () => {
    const a = await seal(h.provider, secret(), ctx);
    const b = await seal(h.provider, secret(), ctx);
    expect(a.wrapped_key).not.toBe(b.wrapped_key);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it.each(['ciphertext', 'tag', 'nonce', 'wrapped_key'] as const)('refuses a tampered %s', async (field) => {
    const env = await seal(h.provider, secret(), ctx);
    await expect(open(h.provider, { ...env, [field]: flip(env[field], 3) }, ctx)).rejects.toBeInstanceOf(
      KeyIntegrityError,
    );
  });

  it('refuses a truncated tag instead of checking fewer bytes', async () => {
    const env = await seal(h.provider, secret(), ctx);
    const short = Buffer.from(env.tag, 'base64').subarray(0, 4).toString('base64');
    await expect(open(h.provider, { ...env, tag: short }, ctx)).rejects.toBeInstanceOf(KeyIntegrityError);
  });

  it.each<[string, EncryptionContext]>([
    ['another credential', { ...ctx, credential_id: 'cred_2' }],
    ['another project', { ...ctx, project_id: 'prj_2' }],
    ['another purpose', { ...ctx, purpose: 'release_secret' }],
    ['an extra context field', { ...ctx, release_id: 'rel_1' }],
    ['a missing context field', { purpose: 'credential', credential_id: 'cred_1' }],
  ])('refuses an envelope moved to %s', async (_what, other) => {
    const env = await seal(h.provider, secret(), ctx);
    await expect(open(h.provider, env, other)).rejects.toBeInstanceOf(KeyIntegrityError);
  });

  it('refuses a context with an unknown purpose or a non-string value', async () => {
    await expect(seal(h.provider, secret(), { purpose: 'other' } as never)).rejects.toThrow(/purpose/);
    await expect(seal(h.provider, secret(), { ...ctx, n: 1 } as never)).rejects.toThrow(/string/);
  });

  it('rotates: old envelopes open before and after rewrap, which moves them to the new key', async () => {
    const env = await seal(h.provider, secret(), ctx);
    const next = await h.rotate();
    expect(await open(next, env, ctx)).toEqual(secret());

    const moved = await rewrapKey(next, env, ctx);
    expect(moved.key_id).not.toBe(env.key_id);
    expect(moved.ciphertext).toBe(env.ciphertext);
    expect(await open(next, moved, ctx)).toEqual(secret());

    const fresh = await seal(next, secret(), ctx);
    expect(fresh.key_id).toBe(moved.key_id);
  });

  it('will not rewrap into another context', async () => {
    const env = await seal(h.provider, secret(), ctx);
    const next = await h.rotate();
    await expect(rewrapKey(next, env, { ...ctx, credential_id: 'cred_2' })).rejects.toBeInstanceOf(
      KeyIntegrityError,
    );
  });

  it('makes and verifies an HMAC under its own data key, also across a rotation', async () => {
    const cp = { purpose: 'audit_checkpoint', checkpoint_id: 'cp_1' } as const;
    const data = Buffer.from('{"count":10,"hash":"ab","last_event_id":"ev_10"}');
    const mac = await hmac(h.provider, data, cp);
    expect(await verifyHmac(h.provider, data, mac, cp)).toBe(true);
    expect(await verifyHmac(h.provider, Buffer.from(`${data}x`), mac, cp)).toBe(false);
    expect(await verifyHmac(h.provider, data, { ...mac, mac: flip(mac.mac) }, cp)).toBe(false);
    expect(await verifyHmac(h.provider, data, { ...mac, wrapped_key: flip(mac.wrapped_key, 5) }, cp)).toBe(
      false,
    );
    expect(await verifyHmac(h.provider, data, mac, { ...cp, checkpoint_id: 'cp_2' })).toBe(false);

    const next = await h.rotate();
    const moved = await rewrapKey(next, mac, cp);
    expect(moved.mac).toBe(mac.mac);
    expect(await verifyHmac(next, data, moved, cp)).toBe(true);
  });

  it('zeroes every plaintext data key it was handed once sealing, opening or MACing is done', async () => {
    const handed: Buffer[] = [];
    const spy: KeyProvider = {
      kind: h.provider.kind,
      generateDataKey: async (c) => {
        const key = await h.provider.generateDataKey(c);
        handed.push(key.plaintext);
        return key;
      },
      unwrap: async (w, id, c) => {
        const key = await h.provider.unwrap(w, id, c);
        handed.push(key);
        return key;
      },
      rewrap: (w, id, c) => h.provider.rewrap(w, id, c),
    };
    const env = await seal(spy, secret(), ctx);
    await open(spy, env, ctx);
    const cp = { purpose: 'audit_checkpoint', checkpoint_id: 'cp_1' } as const;
    await verifyHmac(spy, Buffer.from('x'), await hmac(spy, Buffer.from('x'), cp), cp);
    expect(handed).toHaveLength(4);
    for (const key of handed) expect(key.equals(Buffer.alloc(32))).toBe(true);
  });

  it('costs exactly one remote call per seal and one per open', async () => {
    const before = h.remoteCalls();
    if (!before) return; // the local provider makes no remote calls at all
    const env = await seal(h.provider, secret(), ctx);
    expect(h.remoteCalls()).toEqual({ ...before, GenerateDataKey: (before.GenerateDataKey ?? 0) + 1 });
    await open(h.provider, env, ctx);
    expect(h.remoteCalls()).toEqual({
      ...before,
      GenerateDataKey: (before.GenerateDataKey ?? 0) + 1,
      Decrypt: (before.Decrypt ?? 0) + 1,
    });
  });
});

describe('KMS provider specifics', () => {
  it('builds its own client on first use, honouring the configured region and endpoint', async () => {
    const fake = new FakeKms();
    fake.createKey('alias/k8sm');
    const server = await fake.listen();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // The SDK's default credential chain reads these; without them it would probe instance metadata.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret-access-key';
    try {
      const aws = { region: 'eu-west-1', endpoint: server.url };
      const provider = createKmsKeyProvider({ keyId: 'alias/k8sm', aws });
      const env = await seal(provider, secret(), ctx);
      expect(await open(provider, env, ctx)).toEqual(secret());
      expect(fake.calls).toEqual({ GenerateDataKey: 1, Decrypt: 1 });
    } finally {
      for (const [k, v] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await server.close();
    }
  });

  it('sends the encryption context and pins the key id on Decrypt', async () => {
    const fake = new FakeKms();
    const arnA = fake.createKey('alias/a');
    fake.createKey('alias/other');
    const client = fake.client();
    const aws = { region: 'eu-west-1', endpoint: undefined };
    const provider = createKmsKeyProvider({ keyId: 'alias/a', aws, client });
    const key = await provider.generateDataKey(ctx);
    expect(key.keyId).toBe(arnA);
    expect(key.plaintext).toHaveLength(32);
    // A blob presented as belonging to another key is refused, as KMS does with IncorrectKeyException.
    await expect(provider.unwrap(key.wrapped, 'alias/other', ctx)).rejects.toBeInstanceOf(KeyIntegrityError);
    expect(await provider.unwrap(key.wrapped, key.keyId, ctx)).toEqual(key.plaintext);
  });

  it('reports an unknown key as such, not as tampering', async () => {
    const fake = new FakeKms();
    const provider = createKmsKeyProvider({
      keyId: 'alias/missing',
      aws: { region: 'eu-west-1', endpoint: undefined },
      client: fake.client(),
    });
    await expect(provider.generateDataKey(ctx)).rejects.toMatchObject({ name: 'UnknownKeyError' });
  });
});
