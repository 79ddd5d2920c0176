import type { FieldError } from '../../../shared/errors';

/**
 * What every part of the cluster import guard shares: the result types, the size limits and the
 * collector of findings. See import-guard.ts for what the guard promises.
 */
export const KUBECONFIG_MAX_BYTES = 256 * 1024;
export const FIELD_MAX_BYTES = 64 * 1024;

export type CertInfo = {
  subject: string;
  issuer: string;
  not_before: string;
  not_after: string;
  fingerprint: string;
};
export type ClusterAuth =
  | { kind: 'cert'; cert_pem: string; key_pem: string }
  | { kind: 'token'; token: string }
  /** Nothing secret: the runner mints the token from its own AWS credentials (SPEC §7.6). */
  | { kind: 'eks'; cluster_name: string; region: string; role_arn?: string };
/** Holds secrets (the key, the token): store it sealed, never return it. */
export type ClusterAccess = {
  server: string;
  /** null: the server's certificate is checked against the system's trusted roots. */
  ca_pem: string | null;
  tls_server_name?: string;
  auth: ClusterAuth;
  context: string | null;
  namespace?: string;
};
export type AuthKind = 'client_certificate' | 'token' | 'eks';
export type ClusterMetadata = {
  server: string;
  auth: AuthKind;
  /** EKS users: the cluster's name and region the runner mints tokens for. */
  eks?: { cluster_name: string; region: string; role_arn?: string };
  ca_subject: string | null;
  client_cert: CertInfo | null;
  namespace: string | null;
  /** Kubeconfig imports only: what the file holds, names and endpoints, no secrets. */
  kubeconfig?: {
    context: string;
    current_context: string | null;
    clusters: { name: string; server: string }[];
    users: { name: string; auth: AuthKind; client_cert: CertInfo | null }[];
    contexts: { name: string; cluster: string; user: string; namespace: string | null }[];
  };
};
/** `tooLarge`: a value is over its size limit, which the route answers with 413 instead of 422. */
export type Refusal = { ok: false; tooLarge: boolean; fields: FieldError[] };
export type GuardResult =
  | { ok: true; access: ClusterAccess; metadata: ClusterMetadata; warnings: FieldError[] }
  | Refusal;

/** Collects errors and warnings with their paths; every check adds to one of these. */
export class Findings {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];
  tooLarge = false;
  constructor(readonly now: Date) {}
  error(path: string, message: string) {
    this.errors.push({ path, message });
  }
  warn(path: string, message: string) {
    this.warnings.push({ path, message });
  }
  fail(): Refusal {
    return { ok: false, tooLarge: this.tooLarge, fields: this.errors };
  }
}

/** Size first, so nothing parses a huge value; a string check, so nothing else has to. */
export function sizedString(
  f: Findings,
  value: unknown,
  path: string,
  max = FIELD_MAX_BYTES,
): string | undefined {
  if (value === undefined || value === null || value === '') return void f.error(path, 'is required');
  if (typeof value !== 'string') return void f.error(path, 'must be a string');
  if (Buffer.byteLength(value, 'utf8') > max) {
    f.tooLarge = true;
    return void f.error(path, `must be at most ${max / 1024} KiB`);
  }
  return value;
}

/**
 * The path of an unknown field: its name only when it reads like a field name (letters, - and _),
 * because an unknown "field" is sometimes a pasted secret, and paths are returned.
 */
export const fieldAt = (base: string, key: string) =>
  /^[A-Za-z][A-Za-z_-]{0,39}$/.test(key) ? `${base}.${key}` : base;
