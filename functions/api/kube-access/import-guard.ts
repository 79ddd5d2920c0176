/**
 * Static validation of cluster access before anything is stored (SPEC §4 `POST /clusters/import`).
 * The output is file-free and plugin-free: a runner builds its Kubernetes client from it and never
 * from the user's kubeconfig, whose loader would run `exec` plugins and read local files. Every
 * entry of a kubeconfig is checked, not only the chosen context, because the kubeconfig itself may be
 * stored as a credential and used with another context later. Messages never repeat input values.
 *
 * The parts: guard-core (results, findings), server-address (where a runner may connect),
 * tls-material (PEM, keys, tokens), kubeconfig-guard (kubeconfig files). This module is the entry
 * for clusters; credentials check their kubeconfig, cert set and token payloads with the same
 * parts, and hosts their address, so each rule has one home.
 */
import {
  type CertInfo,
  type ClusterAccess,
  type ClusterAuth,
  Findings,
  type GuardResult,
} from './guard-core';
import { guardKubeconfig } from './kubeconfig-guard';
import { checkServer } from './server-address';
import { caBundle, certSet, checkToken } from './tls-material';

export * from './guard-core';
export { guardKubeconfig, type KubeconfigOptions } from './kubeconfig-guard';
export { checkHostAddress, checkServer } from './server-address';
export { certInfo, checkToken, clientCertificate, parseCertificates, parsePrivateKey } from './tls-material';

export type ClusterImportInput =
  | { mode: 'kubeconfig'; kubeconfig: string; context?: string }
  | { mode: 'cert_set'; endpoint: string; ca: string; cert: string; key: string }
  | { mode: 'token'; endpoint: string; ca: string; token: string };

export function guardClusterImport(input: ClusterImportInput, options: { now?: Date } = {}): GuardResult {
  if (input.mode === 'kubeconfig') {
    return guardKubeconfig(input.kubeconfig, { context: input.context, now: options.now });
  }
  const f = new Findings(options.now ?? new Date());
  const server = checkServer(f, input.endpoint, 'endpoint');
  let ca: ReturnType<typeof caBundle>;
  let auth: ClusterAuth | undefined;
  let clientCert: CertInfo | null = null;
  if (input.mode === 'cert_set') {
    const set = certSet(f, input, { ca: 'ca', cert: 'cert', key: 'key' });
    ca = set?.ca;
    if (set) auth = { kind: 'cert', cert_pem: set.pair.cert_pem, key_pem: set.pair.key_pem };
    clientCert = set?.pair.info ?? null;
  } else {
    ca = caBundle(f, input.ca, 'ca');
    const token = checkToken(f, input.token, 'token');
    if (token !== undefined) auth = { kind: 'token', token };
  }
  if (f.errors.length || !server || !ca || !auth) return f.fail();
  return {
    ok: true,
    access: { server, ca_pem: ca.pem, auth, context: null },
    metadata: {
      server,
      auth: auth.kind === 'cert' ? 'client_certificate' : 'token',
      ca_subject: ca.subject,
      client_cert: clientCert,
      namespace: null,
    },
    warnings: f.warnings,
  };
}

/**
 * A file-free kubeconfig (the file's shape, as an object) built only from checked access: give its
 * JSON to `KubeConfig#loadFromString`, never a user's own kubeconfig.
 */
export function accessToKubeconfig(access: ClusterAccess, name = 'cluster') {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const a = access.auth;
  if (a.kind === 'eks') throw new Error('EKS access has no file form: the runner mints its token');
  const user =
    a.kind === 'cert'
      ? { 'client-certificate-data': b64(a.cert_pem), 'client-key-data': b64(a.key_pem) }
      : { token: a.token };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: access.server,
          ...(access.ca_pem ? { 'certificate-authority-data': b64(access.ca_pem) } : {}),
          ...(access.tls_server_name ? { 'tls-server-name': access.tls_server_name } : {}),
        },
      },
    ],
    users: [{ name, user }],
    contexts: [
      {
        name,
        context: { cluster: name, user: name, ...(access.namespace ? { namespace: access.namespace } : {}) },
      },
    ],
    'current-context': name,
  };
}
