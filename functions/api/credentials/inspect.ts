import { createHash } from 'node:crypto';
import type ssh2 from 'ssh2';
import { CREDENTIAL_KINDS, type CredentialKind } from '../../../shared/contracts/credentials';
import type { FieldError } from '../../../shared/errors';
import {
  type CertInfo,
  type ClusterMetadata,
  Findings,
  fieldAt,
  type Refusal,
  sizedString,
} from '../kube-access/guard-core';
import { guardKubeconfig } from '../kube-access/kubeconfig-guard';
import { certSet, checkToken } from '../kube-access/tls-material';

export { CREDENTIAL_KINDS, type CredentialKind };

/**
 * Validates a credential payload by kind (SPEC §4 `POST /credentials`) and describes it with
 * metadata that is safe to store in clear and to return: types, fingerprints, names, dates, never
 * key material. Error messages never repeat input values either. `tooLarge` asks for a 413.
 * `context` describes a kubeconfig as used with that context instead of its current-context (a
 * cluster import chooses one).
 */

export type CredentialMetadata =
  | { kind: 'ssh_private_key'; fingerprint: string; key_type: string; public_key: string; encrypted: boolean }
  | { kind: 'ssh_password'; fingerprint: null }
  | ({ kind: 'kubeconfig'; fingerprint: string | null } & ClusterMetadata)
  | ({ kind: 'cert_set'; ca_subject: string } & CertInfo)
  | { kind: 'token'; fingerprint: null; token_last4: string | null }
  | { kind: 'ci_provider'; fingerprint: null; token_last4: string | null; api_origin: string };

export type InspectResult = { ok: true; metadata: CredentialMetadata; warnings: FieldError[] } | Refusal;

const FIELDS: Record<CredentialKind, { required: string[]; optional?: string[] }> = {
  ssh_private_key: { required: ['private_key'], optional: ['passphrase'] },
  ssh_password: { required: ['password'] },
  kubeconfig: { required: ['kubeconfig'] },
  cert_set: { required: ['ca', 'cert', 'key'] },
  token: { required: ['token'] },
  ci_provider: { required: ['token', 'api_origin'] },
};

/** Shorter tokens would give away too large a share of themselves in four characters. */
const TOKEN_LAST4_MIN_LENGTH = 16;

let keyParser: typeof ssh2.utils | undefined;

/**
 * ssh2 costs about 76 ms and 327 KiB at import: it is loaded by the first inspection that may need
 * it, not on every cold start. Call before `inspectCredential` (inspectOrThrow does).
 */
export async function loadKeyParser(): Promise<void> {
  keyParser ??= (await import('ssh2')).default.utils;
}

function parseKey(pem: string, passphrase?: string) {
  if (!keyParser) throw new Error('loadKeyParser() must run before an SSH key is inspected');
  return passphrase === undefined ? keyParser.parseKey(pem) : keyParser.parseKey(pem, passphrase);
}

export function inspectCredential(
  kind: unknown,
  payload: unknown,
  options: { now?: Date; context?: string } = {},
): InspectResult {
  const f = new Findings(options.now ?? new Date());
  if (!CREDENTIAL_KINDS.includes(kind as CredentialKind)) {
    f.error('kind', `must be one of ${CREDENTIAL_KINDS.join(', ')}`);
    return f.fail();
  }
  const k = kind as CredentialKind;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    f.error('payload', 'must be an object');
    return f.fail();
  }
  const p = payload as Record<string, unknown>;
  const known = [...FIELDS[k].required, ...(FIELDS[k].optional ?? [])];
  for (const key of Object.keys(p)) {
    if (!known.includes(key)) f.error(fieldAt('payload', key), 'is not a field of this kind');
  }
  const metadata = inspectKind(f, k, p, options.context);
  if (f.errors.length || !metadata) return f.fail();
  return { ok: true, metadata, warnings: f.warnings };
}

function inspectKind(
  f: Findings,
  kind: CredentialKind,
  p: Record<string, unknown>,
  context: string | undefined,
): CredentialMetadata | undefined {
  switch (kind) {
    case 'ssh_private_key':
      return inspectSshKey(f, p);
    case 'ssh_password':
      return sizedString(f, p.password, 'payload.password') === undefined
        ? undefined
        : { kind, fingerprint: null };
    case 'kubeconfig': {
      const r = guardKubeconfig(p.kubeconfig, {
        prefix: 'payload.kubeconfig',
        context,
        contextPath: 'payload.kubeconfig',
        now: f.now,
      });
      if (!r.ok) {
        f.tooLarge ||= r.tooLarge;
        for (const e of r.fields) f.error(e.path, e.message);
        return;
      }
      for (const w of r.warnings) f.warn(w.path, w.message);
      return { kind, fingerprint: r.metadata.client_cert?.fingerprint ?? null, ...r.metadata };
    }
    case 'cert_set': {
      const set = certSet(
        f,
        { ca: p.ca, cert: p.cert, key: p.key },
        { ca: 'payload.ca', cert: 'payload.cert', key: 'payload.key' },
      );
      if (!set) return;
      return { kind, ...set.pair.info, ca_subject: set.ca.subject };
    }
    case 'token': {
      const token = checkToken(f, p.token, 'payload.token');
      if (token === undefined) return;
      return {
        kind,
        fingerprint: null,
        token_last4: token.length >= TOKEN_LAST4_MIN_LENGTH ? token.slice(-4) : null,
      };
    }
    case 'ci_provider': {
      const token = checkToken(f, p.token, 'payload.token');
      const origin = apiOrigin(f, p.api_origin);
      if (token === undefined || origin === undefined) return;
      return {
        kind,
        fingerprint: null,
        token_last4: token.length >= TOKEN_LAST4_MIN_LENGTH ? token.slice(-4) : null,
        api_origin: origin,
      };
    }
  }
}

/**
 * The one origin a CI provider token may be sent to. Given as an origin only (scheme, host,
 * port): a path would suggest a narrower scope than the comparison with `provider_api_url` checks.
 */
function apiOrigin(f: Findings, value: unknown): string | undefined {
  const path = 'payload.api_origin';
  const given = sizedString(f, value, path);
  if (given === undefined) return;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return void f.error(path, 'must be an origin such as https://api.github.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return void f.error(path, 'must be http or https');
  if (url.username || url.password) return void f.error(path, 'must not carry credentials');
  if (given.replace(/\/$/, '') !== url.origin)
    return void f.error(path, `must be an origin only (scheme, host, port), e.g. ${url.origin}`);
  return url.origin;
}

type ParsedKey = ssh2.ParsedKey;

/** ssh-keygen uses 16 by default and 100 is a common hardening; each costs tens of ms of CPU here. */
const MAX_KDF_ROUNDS = 128;

/** The bcrypt rounds of an `openssh-key-v1` key (PROTOCOL.key), read before anything runs them. */
function opensshKdfRounds(text: string): number | undefined {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    text,
  )?.[1];
  if (!body) return;
  const data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (data.subarray(0, 15).toString('latin1') !== 'openssh-key-v1\0') return;
  let pos = 15;
  const next = () => {
    if (pos + 4 > data.length) return;
    const end = pos + 4 + data.readUInt32BE(pos);
    const out = end > data.length ? undefined : data.subarray(pos + 4, end);
    pos = end;
    return out;
  };
  const [, kdf, options] = [next(), next(), next()];
  if (kdf?.toString() !== 'bcrypt' || !options || options.length < 4) return;
  const roundsAt = 4 + options.readUInt32BE(0);
  return roundsAt + 4 <= options.length ? options.readUInt32BE(roundsAt) : undefined;
}

function inspectSshKey(f: Findings, p: Record<string, unknown>): CredentialMetadata | undefined {
  const pem = sizedString(f, p.private_key, 'payload.private_key');
  const given = p.passphrase !== undefined && p.passphrase !== null && p.passphrase !== '';
  const passphrase = given ? sizedString(f, p.passphrase, 'payload.passphrase') : undefined;
  if (pem === undefined || (given && passphrase === undefined)) return;

  // ssh2 is what the runner will load the key with, so a key it cannot parse is refused here.
  let parsed = parseKey(pem);
  let encrypted = false;
  if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
    encrypted = true;
    if (passphrase === undefined)
      return void f.error('payload.passphrase', 'is required: the key is encrypted');
    // The key file chooses its bcrypt rounds and ssh2 runs them synchronously: a crafted key could
    // hold the event loop for hours.
    if ((opensshKdfRounds(pem) ?? 0) > MAX_KDF_ROUNDS) {
      return void f.error(
        'payload.private_key',
        `is encrypted with more than ${MAX_KDF_ROUNDS} KDF rounds: re-encrypt it with ssh-keygen -p -a ${MAX_KDF_ROUNDS}`,
      );
    }
    parsed = parseKey(pem, passphrase);
    if (parsed instanceof Error) return void f.error('payload.passphrase', 'does not decrypt the key');
  } else if (passphrase !== undefined && !(parsed instanceof Error)) {
    f.warn('payload.passphrase', 'is not needed: the key is not encrypted');
  }
  if (parsed instanceof Error) {
    return void f.error(
      'payload.private_key',
      'is not a private key in OpenSSH, PEM (PKCS#1, SEC1) or PuTTY format',
    );
  }
  const keys: ParsedKey[] = Array.isArray(parsed) ? parsed : [parsed];
  const key = keys[0];
  if (keys.length !== 1 || !key) return void f.error('payload.private_key', 'must hold exactly one key');
  if (!key.isPrivateKey())
    return void f.error('payload.private_key', 'is a public key: give the private key');
  if (key.type === 'ssh-dss')
    f.warn('payload.private_key', 'DSA keys are disabled in current OpenSSH servers');
  const blob = key.getPublicSSH();
  return {
    kind: 'ssh_private_key',
    key_type: key.type,
    // As `ssh-keygen -lf` prints it, so operators can compare with what they see on the host.
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    public_key: `${key.type} ${blob.toString('base64')}`,
    encrypted,
  };
}
