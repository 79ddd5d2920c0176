import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { recordResponse, registerSecret } from '../../../test/support/leak-guard';
import { b64, makePki } from '../kube-access/fixtures/pki';
import { type InspectResult, inspectCredential, loadKeyParser } from './inspect';

beforeAll(() => loadKeyParser());

/**
 * Keys come from the real ssh-keygen at test time (none is committed), and the fingerprints the
 * inspector computes are compared with what `ssh-keygen -lf` prints for the same key.
 */
const dir = mkdtempSync(join(tmpdir(), 'k8sm-ssh-'));
const pki = makePki();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  pki.cleanup();
});

const PASSPHRASE = registerSecret('correct horse battery');
type SshKey = { private: string; public: string; fingerprint: string };
function sshKey(name: string, args: string[], passphrase = ''): SshKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', ...args, '-N', passphrase, '-C', 'test', '-f', path]);
  const printed = execFileSync('ssh-keygen', ['-lf', `${path}.pub`]).toString();
  const key = {
    private: readFileSync(path, 'utf8'),
    public: readFileSync(`${path}.pub`, 'utf8'),
    fingerprint: printed.split(' ')[1]!,
  };
  registerSecret(key.private);
  return key;
}
const keys = {
  ed25519: sshKey('ed25519', ['-t', 'ed25519']),
  rsa: sshKey('rsa', ['-t', 'rsa', '-b', '2048']),
  ecdsa: sshKey('ecdsa', ['-t', 'ecdsa', '-b', '256']),
  rsaPem: sshKey('rsa-pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']),
  encrypted: sshKey('enc', ['-t', 'ed25519', '-a', '2'], PASSPHRASE), // few KDF rounds: the test is not about KDF cost
  encryptedPem: sshKey('enc-pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], PASSPHRASE),
};
for (const k of [pki.clientKeyPem, pki.strangerKeyPem]) registerSecret(k);

const TOKEN = registerSecret('eyJhbGciOiJSUzI1NiJ9.payload.signature-abcd1234WXYZ');
const PASSWORD = registerSecret('s3cret-ssh-password');

/** Records what a route would return (never the payload) so the leak guard can check it. */
function inspect(kind: unknown, payload: unknown, now?: Date): InspectResult {
  const r = inspectCredential(kind, payload, { now });
  recordResponse(JSON.stringify(r));
  return r;
}
const fields = (r: InspectResult) => {
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.fields;
};

describe('ssh_private_key', () => {
  it.each([
    ['ed25519', keys.ed25519, 'ssh-ed25519'],
    ['rsa (OpenSSH format)', keys.rsa, 'ssh-rsa'],
    ['ecdsa', keys.ecdsa, 'ecdsa-sha2-nistp256'],
    ['rsa (PEM format)', keys.rsaPem, 'ssh-rsa'],
  ])('describes an %s key with the fingerprint ssh-keygen -lf prints', (_name, key, type) => {
    const r = inspect('ssh_private_key', { private_key: key.private });
    expect(r).toEqual({
      ok: true,
      warnings: [],
      metadata: {
        kind: 'ssh_private_key',
        key_type: type,
        fingerprint: key.fingerprint,
        public_key: key.public.split(' ').slice(0, 2).join(' '),
        encrypted: false,
      },
    });
  });

  it.each([
    ['OpenSSH', keys.encrypted],
    ['PEM', keys.encryptedPem],
  ])('opens an encrypted %s key with its passphrase', (_name, key) => {
    const r = inspect('ssh_private_key', { private_key: key.private, passphrase: PASSPHRASE });
    expect(r.ok && r.metadata).toMatchObject({ fingerprint: key.fingerprint, encrypted: true });
  });

  it.each([
    ['OpenSSH', keys.encrypted],
    ['PEM', keys.encryptedPem],
  ])('asks for the passphrase of an encrypted %s key, on payload.passphrase', (_name, key) => {
    expect(fields(inspect('ssh_private_key', { private_key: key.private }))).toEqual([
      { path: 'payload.passphrase', message: 'is required: the key is encrypted' },
    ]);
    expect(
      fields(inspect('ssh_private_key', { private_key: key.private, passphrase: 'wrong-passphrase' })),
    ).toEqual([{ path: 'payload.passphrase', message: 'does not decrypt the key' }]);
  });

  it('refuses a key whose KDF rounds would hold the event loop, before running them', () => {
    const rounds = (n: number) => {
      const body = keys.encrypted.private
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
      const data = Buffer.from(body, 'base64');
      // After the kdf name "bcrypt" comes kdfoptions: its length, the salt (length, bytes), uint32 rounds.
      const at = data.indexOf('bcrypt') + 'bcrypt'.length;
      const saltLength = data.readUInt32BE(at + 4);
      expect(data.readUInt32BE(at + 8 + saltLength)).toBe(2);
      data.writeUInt32BE(n, at + 8 + saltLength);
      const lines = data
        .toString('base64')
        .match(/.{1,70}/g)!
        .join('\n');
      return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
    };
    const started = Date.now();
    expect(
      fields(inspect('ssh_private_key', { private_key: rounds(1_000_000), passphrase: PASSPHRASE })),
    ).toEqual([{ path: 'payload.private_key', message: expect.stringMatching(/more than 128 KDF rounds/) }]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(
      fields(inspect('ssh_private_key', { private_key: rounds(129), passphrase: PASSPHRASE })),
    ).toHaveLength(1);
    // The re-encoding itself is sound: written back with its own 2 rounds, the key still opens.
    const r = inspect('ssh_private_key', { private_key: rounds(2), passphrase: PASSPHRASE });
    expect(r.ok && r.metadata).toMatchObject({ fingerprint: keys.encrypted.fingerprint });
  });

  it('warns about a passphrase that an unencrypted key does not need', () => {
    const r = inspect('ssh_private_key', { private_key: keys.ed25519.private, passphrase: PASSPHRASE });
    expect(r.ok && r.warnings).toEqual([
      { path: 'payload.passphrase', message: expect.stringMatching(/not needed/) },
    ]);
  });

  it.each([
    ['garbage', 'not a key at all'],
    ['a truncated key', keys.ed25519.private.slice(0, 120)],
    ['a PKCS#8 key ssh2 cannot load', pki.strangerKeyPem],
  ])('refuses %s on payload.private_key without echoing it', (_name, text) => {
    const [field] = fields(inspect('ssh_private_key', { private_key: text }));
    expect(field).toEqual({
      path: 'payload.private_key',
      message: expect.stringMatching(/is not a private key/),
    });
  });

  it('refuses a public key', () => {
    expect(fields(inspect('ssh_private_key', { private_key: keys.ed25519.public }))).toEqual([
      { path: 'payload.private_key', message: 'is a public key: give the private key' },
    ]);
  });

  it('refuses a missing key and an oversized one, the latter as too large', () => {
    expect(fields(inspect('ssh_private_key', {}))).toEqual([
      { path: 'payload.private_key', message: 'is required' },
    ]);
    const r = inspect('ssh_private_key', { private_key: 'x'.repeat(64 * 1024 + 1) });
    expect(r).toEqual({
      ok: false,
      tooLarge: true,
      fields: [{ path: 'payload.private_key', message: 'must be at most 64 KiB' }],
    });
  });
});

describe('ssh_password and token', () => {
  it('keeps nothing of a password', () => {
    expect(inspect('ssh_password', { password: PASSWORD })).toEqual({
      ok: true,
      warnings: [],
      metadata: { kind: 'ssh_password', fingerprint: null },
    });
    expect(fields(inspect('ssh_password', { password: 42 }))).toEqual([
      { path: 'payload.password', message: 'must be a string' },
    ]);
  });

  it('keeps the last four characters of a long token only', () => {
    const r = inspect('token', { token: TOKEN });
    expect(r.ok && r.metadata).toEqual({ kind: 'token', fingerprint: null, token_last4: 'WXYZ' });
    const short = inspect('token', { token: registerSecret('short-tok-12345') });
    expect(short.ok && short.metadata).toEqual({ kind: 'token', fingerprint: null, token_last4: null });
  });

  it('refuses a token with a trailing newline', () => {
    expect(fields(inspect('token', { token: `${TOKEN}\n` }))).toEqual([
      { path: 'payload.token', message: 'must be printable ASCII without spaces or newlines' },
    ]);
  });
});

describe('cert_set', () => {
  const set = { ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem };

  it('describes the certificate and its CA', () => {
    const r = inspect('cert_set', set);
    expect(r.ok && r.metadata).toEqual({
      kind: 'cert_set',
      subject: 'O=system:masters, CN=admin',
      issuer: 'CN=test-ca',
      not_before: expect.any(String),
      not_after: pki.notAfter.toISOString(),
      fingerprint: expect.stringMatching(/^SHA256:[0-9A-F:]{95}$/),
      ca_subject: 'CN=test-ca',
    });
  });

  it('warns, and does not refuse, once the certificates have expired', () => {
    const r = inspect('cert_set', set, new Date(pki.notAfter.getTime() + 60_000));
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual(['payload.ca', 'payload.cert']);
  });

  it.each([
    ['a key of another certificate', { key: pki.strangerKeyPem }, 'payload.key', /does not belong/],
    ['an encrypted key', { key: pki.encryptedKeyPem }, 'payload.key', /must not be encrypted/],
    ['a CA that is not a certificate', { ca: 'hello' }, 'payload.ca', /PEM certificate/],
    ['a missing certificate', { cert: undefined }, 'payload.cert', /is required/],
  ])('refuses %s', (_name, change, path, message) => {
    expect(fields(inspect('cert_set', { ...set, ...change }))).toContainEqual({
      path,
      message: expect.stringMatching(message),
    });
  });
});

describe('kubeconfig', () => {
  const kubeconfig = () => ({
    clusters: [
      {
        name: 'c',
        cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64(pki.caPem) },
      },
    ],
    users: [
      {
        name: 'u',
        user: { 'client-certificate-data': b64(pki.clientCertPem), 'client-key-data': b64(pki.clientKeyPem) },
      },
    ],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  });

  it('returns what the import guard found, and the client certificate fingerprint', () => {
    const r = inspect('kubeconfig', { kubeconfig: stringify(kubeconfig()) });
    if (!r.ok || r.metadata.kind !== 'kubeconfig') throw new Error('expected kubeconfig metadata');
    expect(r.metadata).toMatchObject({
      server: 'https://10.0.0.1:6443',
      auth: 'client_certificate',
      client_cert: { subject: 'O=system:masters, CN=admin', issuer: 'CN=test-ca' },
      kubeconfig: {
        context: 'ctx',
        current_context: 'ctx',
        users: [{ name: 'u', auth: 'client_certificate' }],
      },
    });
    expect(r.metadata.fingerprint).toBe(r.metadata.client_cert?.fingerprint);
  });

  it('reports the guard refusals under payload.kubeconfig', () => {
    const kc = kubeconfig();
    (kc.users[0] as { user: object }).user = { exec: { command: 'aws' } };
    expect(fields(inspect('kubeconfig', { kubeconfig: stringify(kc) }))).toEqual([
      {
        path: 'payload.kubeconfig.users[0].user.exec',
        message: expect.stringMatching(/exec plugins are refused/),
      },
    ]);
  });

  it('allows 256 KiB for a kubeconfig and calls more too large', () => {
    const r = inspect('kubeconfig', { kubeconfig: `# ${'x'.repeat(256 * 1024)}` });
    expect(r).toMatchObject({ ok: false, tooLarge: true, fields: [{ path: 'payload.kubeconfig' }] });
  });
});

describe('payload shape', () => {
  it('refuses an unknown kind and a payload that is not an object', () => {
    expect(fields(inspect('ssh_agent', {}))).toEqual([
      { path: 'kind', message: expect.stringMatching(/must be one of/) },
    ]);
    expect(fields(inspect('token', 'x'))).toEqual([{ path: 'payload', message: 'must be an object' }]);
  });

  it('refuses fields another kind would have, naming them', () => {
    expect(fields(inspect('ssh_password', { password: PASSWORD, private_key: 'x' }))).toEqual([
      { path: 'payload.private_key', message: 'is not a field of this kind' },
    ]);
  });

  it('never names an unknown field that looks like a secret', () => {
    const r = inspect('token', { token: TOKEN, [TOKEN]: true });
    expect(fields(r)).toEqual([{ path: 'payload', message: 'is not a field of this kind' }]);
  });
});
