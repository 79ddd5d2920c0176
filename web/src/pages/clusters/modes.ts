import {
  CA_EXAMPLE,
  CERT_EXAMPLE,
  ENDPOINT_EXAMPLE,
  KEY_EXAMPLE,
  KUBECONFIG_EXAMPLE,
  type PayloadField,
} from '../credentials/kinds';

export type Mode = 'kubeconfig' | 'cert_set' | 'token';

export const EKS_HINT =
  'Imported from a kubeconfig whose user runs aws eks get-token: nothing runs; the runner signs the token itself with the AWS credentials of its own environment, after assuming the role the kubeconfig names (--role-arn) if any.';

/** A cluster's mode as shown: the import modes, and `eks`, which a kubeconfig import can become. */
export const modeLabel = (mode: Mode | 'eks') => (mode === 'eks' ? 'EKS' : MODES[mode].label);

const endpoint: PayloadField = { name: 'endpoint', label: 'API server', description: 'https:// URL' };
const ca: PayloadField = { name: 'ca', label: 'CA certificate', multiline: true };

/** What each import mode takes (CLUSTER_MODE_FIELDS in the API's contract), with an example. */
export const MODES: Record<Mode, { label: string; fields: PayloadField[]; example: string; hint: string }> = {
  kubeconfig: {
    label: 'Kubeconfig',
    fields: [
      { name: 'kubeconfig', label: 'Kubeconfig', multiline: true, secret: true },
      {
        name: 'context',
        label: 'Context',
        optional: true,
        description: "which of the file's contexts; its current-context if empty",
      },
    ],
    example: KUBECONFIG_EXAMPLE,
    hint: 'Self-contained: data fields, not file paths; no exec plugins (except `aws eks get-token`, read as EKS), no proxies, TLS verified. kubectl config view --minify --flatten prints one.',
  },
  cert_set: {
    label: 'Certificate set',
    fields: [
      endpoint,
      ca,
      { name: 'cert', label: 'Client certificate', multiline: true },
      { name: 'key', label: 'Client key', multiline: true, secret: true },
    ],
    example: `endpoint: ${ENDPOINT_EXAMPLE}\n\nca:\n${CA_EXAMPLE}\n\ncert:\n${CERT_EXAMPLE}\n\nkey:\n${KEY_EXAMPLE}`,
    hint: 'PEM files; the certificate must match the key and be signed by the CA.',
  },
  token: {
    label: 'Token',
    fields: [endpoint, ca, { name: 'token', label: 'Token', secret: true }],
    example: `endpoint: ${ENDPOINT_EXAMPLE}\n\nca:\n${CA_EXAMPLE}\n\ntoken: <a bearer token, e.g. from kubectl create token deployer>`,
    hint: "A service account's bearer token and the CA that signs the API server's certificate.",
  },
};
