import type { Credential } from '../../api/types';

export type Kind = Credential['kind'];

/**
 * One field of a kind's payload. `multiline` material (PEM files, kubeconfigs) goes in a text
 * area: a password input drops line breaks. `secret` single-line values are masked as typed.
 */
export type PayloadField = {
  name: string;
  label: string;
  multiline?: boolean;
  secret?: boolean;
  optional?: boolean;
  description?: string;
};

const PEM = (label: string, what: string) => `-----BEGIN ${label}-----\n(${what})\n-----END ${label}-----`;

export const KUBECONFIG_EXAMPLE = `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster:
      server: https://k8s.example.invalid:6443
      certificate-authority-data: <base64 of the cluster CA>
users:
  - name: deployer
    user:
      token: <service account token>
contexts:
  - name: lab
    context: {cluster: lab, user: deployer, namespace: apps}
current-context: lab`;

export const CA_EXAMPLE = PEM('CERTIFICATE', "the cluster's CA, e.g. /etc/kubernetes/pki/ca.crt");
export const CERT_EXAMPLE = PEM('CERTIFICATE', 'the client certificate, e.g. deployer.crt');
export const KEY_EXAMPLE = PEM('PRIVATE KEY', 'the client key, e.g. deployer.key');
export const ENDPOINT_EXAMPLE = 'https://k8s.example.invalid:6443';

/** What each kind takes (functions/api/credentials/inspect.ts) and an example with placeholders only. */
export const KINDS: Record<Kind, { label: string; fields: PayloadField[]; example: string; hint: string }> = {
  ssh_private_key: {
    label: 'SSH private key',
    fields: [
      { name: 'private_key', label: 'Private key', multiline: true, secret: true },
      {
        name: 'passphrase',
        label: 'Passphrase',
        secret: true,
        optional: true,
        description: 'only if the key is encrypted',
      },
    ],
    example: PEM('OPENSSH PRIVATE KEY', 'the whole file, e.g. ~/.ssh/deploy_ed25519'),
    hint: "OpenSSH, PEM (PKCS#1, SEC1) or PuTTY. Make one with ssh-keygen -t ed25519 -f deploy_ed25519 and put the .pub in the host user's authorized_keys.",
  },
  ssh_password: {
    label: 'SSH password',
    fields: [{ name: 'password', label: 'SSH password', secret: true }],
    example: 'password: <the login password of the host user>',
    hint: 'A password login; a key is preferable where the host allows one.',
  },
  kubeconfig: {
    label: 'Kubeconfig',
    fields: [{ name: 'kubeconfig', label: 'Kubeconfig', multiline: true, secret: true }],
    example: KUBECONFIG_EXAMPLE,
    hint: 'Self-contained: data fields, not file paths; no exec plugins, no proxies, TLS verified.',
  },
  cert_set: {
    label: 'Certificate set',
    fields: [
      { name: 'ca', label: 'CA certificate', multiline: true },
      { name: 'cert', label: 'Client certificate', multiline: true },
      { name: 'key', label: 'Client key', multiline: true, secret: true },
    ],
    example: `ca:\n${CA_EXAMPLE}\n\ncert:\n${CERT_EXAMPLE}\n\nkey:\n${KEY_EXAMPLE}`,
    hint: 'PEM files; the certificate must match the key and be signed by the CA.',
  },
  token: {
    label: 'Token',
    fields: [{ name: 'token', label: 'Token', secret: true }],
    example: 'token: <a bearer token, e.g. from kubectl create token deployer>',
    hint: 'Only its last four characters are ever shown again, and only for long tokens.',
  },
  ci_provider: {
    label: 'CI provider token',
    fields: [
      { name: 'token', label: 'Token', secret: true },
      {
        name: 'api_origin',
        label: 'API origin',
        description: 'the only origin this token is ever sent to, e.g. https://api.github.com',
      },
    ],
    example:
      'token: <a GitHub token allowed to dispatch workflows, a GitLab access token, or user:api-token for Jenkins>\napi_origin: https://api.github.com',
    hint: 'Runs a pipeline by hand or on its schedule; a pipeline may use it only when its provider API URL is on exactly this origin.',
  },
};

export const KIND_OPTIONS = (Object.keys(KINDS) as Kind[]).map((k) => ({ value: k, label: KINDS[k].label }));

/** The payload as the API takes it: fields left empty are left out, so the API names them. */
export const payloadOf = (kind: Kind, values: Record<string, string>) =>
  Object.fromEntries(KINDS[kind].fields.filter((f) => values[f.name]).map((f) => [f.name, values[f.name]]));
