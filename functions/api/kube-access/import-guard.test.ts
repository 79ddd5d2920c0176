import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { recordResponse, registerSecret } from '../../../test/support/leak-guard';
import { b64, makePki, type Pki } from '../../../test/support/pki';
import {
  accessToKubeconfig,
  type ClusterImportInput,
  type GuardResult,
  guardClusterImport,
  guardKubeconfig,
  KUBECONFIG_MAX_BYTES,
} from './import-guard';

// Made at import, not in beforeAll: the case tables below are built when the file is collected.
const pki: Pki = makePki();
afterAll(() => pki.cleanup());
for (const s of [pki.clientKeyPem, pki.rsaKeyPem, pki.strangerKeyPem]) {
  registerSecret(s);
  registerSecret(b64(s));
}

const TOKEN = registerSecret(`sa-${randomBytes(24).toString('hex')}`);

/** Everything but `access` may reach a response: the leak guard checks none of it holds a secret. */
function check(result: GuardResult): GuardResult {
  const { access: _secret, ...visible } = result.ok ? result : { ...result, access: undefined };
  recordResponse(JSON.stringify(visible));
  return result;
}
const kubeconfig = (text: unknown, options: Parameters<typeof guardKubeconfig>[1] = {}) =>
  check(guardKubeconfig(typeof text === 'string' ? text : stringify(text), options));
const clusterImport = (input: ClusterImportInput, now?: Date) => check(guardClusterImport(input, { now }));

type Kc = any;
function base(): Kc {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: 'prod',
        cluster: { server: 'https://10.0.0.10:6443', 'certificate-authority-data': b64(pki.caPem) },
      },
    ],
    users: [
      {
        name: 'admin',
        user: { 'client-certificate-data': b64(pki.clientCertPem), 'client-key-data': b64(pki.clientKeyPem) },
      },
      { name: 'bot', user: { token: TOKEN } },
    ],
    contexts: [
      { name: 'prod-admin', context: { cluster: 'prod', user: 'admin', namespace: 'payments' } },
      { name: 'prod-bot', context: { cluster: 'prod', user: 'bot' } },
    ],
    'current-context': 'prod-admin',
  };
}
/** The base kubeconfig with edits applied: `{'users[1].user.exec': {...}}`; undefined deletes. */
function edited(edits: Record<string, unknown>): Kc {
  const kc = base();
  for (const [where, value] of Object.entries(edits)) {
    const steps = where.replace(/\[(\d+)\]/g, '.$1').split('.');
    const last = steps.pop()!;
    const parent = steps.reduce((o, k) => o[k], kc);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return kc;
}

function refused(result: GuardResult) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.fields;
}

describe('kubeconfig import: happy paths', () => {
  it('gives file-free access with the client certificate of the current context', () => {
    const r = kubeconfig(base());
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    expect(r.access).toEqual({
      server: 'https://10.0.0.10:6443',
      ca_pem: expect.stringContaining('-----BEGIN CERTIFICATE-----'),
      auth: {
        kind: 'cert',
        cert_pem: expect.stringContaining('-----BEGIN CERTIFICATE-----'),
        key_pem: pki.clientKeyPem,
      },
      context: 'prod-admin',
      namespace: 'payments',
    });
    expect(r.warnings).toEqual([]);
    expect(r.metadata).toMatchObject({
      server: 'https://10.0.0.10:6443',
      auth: 'client_certificate',
      ca_subject: 'CN=test-ca',
      namespace: 'payments',
      client_cert: {
        subject: 'O=system:masters, CN=admin',
        issuer: 'CN=test-ca',
        not_after: pki.notAfter.toISOString(),
      },
      kubeconfig: {
        context: 'prod-admin',
        current_context: 'prod-admin',
        clusters: [{ name: 'prod', server: 'https://10.0.0.10:6443' }],
        users: [
          { name: 'admin', auth: 'client_certificate' },
          { name: 'bot', auth: 'token', client_cert: null },
        ],
        contexts: [
          { name: 'prod-admin', cluster: 'prod', user: 'admin', namespace: 'payments' },
          { name: 'prod-bot', cluster: 'prod', user: 'bot', namespace: null },
        ],
      },
    });
    expect(r.metadata.client_cert?.fingerprint).toMatch(/^SHA256:([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('uses the chosen context and its token', () => {
    const r = kubeconfig(base(), { context: 'prod-bot' });
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    expect(r.access.auth).toEqual({ kind: 'token', token: TOKEN });
    expect(r.access.context).toBe('prod-bot');
    expect(r.access).not.toHaveProperty('namespace');
    expect(r.metadata).toMatchObject({
      auth: 'token',
      client_cert: null,
      kubeconfig: { context: 'prod-bot' },
    });
  });

  it('reads JSON as well as YAML, and RSA keys in PKCS#1', () => {
    const kc = edited({
      'users[0].user': {
        'client-certificate-data': b64(pki.rsaCertPem),
        'client-key-data': b64(pki.rsaKeyPem),
      },
    });
    const r = kubeconfig(JSON.stringify(kc));
    expect(r.ok && r.metadata.client_cert?.subject).toBe('CN=deployer');
  });

  it('holds no file path, plugin or unrelated field in its output', () => {
    const kc = edited({
      extensions: [{ name: 'x', extension: { path: '/var/lib/secret/ext' } }],
      'clusters[0].cluster.extensions': [{ name: 'y', extension: { file: '/etc/kube/y' } }],
    });
    const r = kubeconfig(kc);
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    expect(Object.keys(r.access).sort()).toEqual(['auth', 'ca_pem', 'context', 'namespace', 'server']);
    const text = JSON.stringify(r);
    for (const s of [
      '/var/lib',
      '/etc/',
      'tokenFile',
      'certificate-authority"',
      'client-key"',
      'exec',
      'extension',
    ]) {
      expect(text).not.toContain(s);
    }
  });

  it('keeps a server path prefix and a TLS server name, and allows no CA (system roots)', () => {
    const kc = edited({
      'clusters[0].cluster': {
        server: 'https://rancher.example.com/k8s/clusters/c-m-1/',
        'tls-server-name': 'kube.internal',
      },
    });
    const r = kubeconfig(kc);
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    expect(r.access).toMatchObject({
      server: 'https://rancher.example.com/k8s/clusters/c-m-1',
      ca_pem: null,
      tls_server_name: 'kube.internal',
    });
  });

  it('warns, and does not refuse, when certificates have expired', () => {
    const later = new Date(pki.notAfter.getTime() + 86_400_000);
    const r = kubeconfig(base(), { now: later });
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual([
      'kubeconfig.clusters[0].cluster.certificate-authority-data',
      'kubeconfig.users[0].user.client-certificate-data',
    ]);
    expect(r.ok && r.warnings[0]?.message).toMatch(/expired at \d{4}-/);
  });

  it('round-trips through accessToKubeconfig, which a Kubernetes client can load without files', () => {
    const r = kubeconfig(base());
    if (!r.ok) throw new Error('expected ok');
    const again = kubeconfig(accessToKubeconfig(r.access, 'c'));
    expect(again.ok && again.access).toEqual({ ...r.access, context: 'c' });
  });
});

describe('cluster addresses', () => {
  const server = (url: string) => kubeconfig(edited({ 'clusters[0].cluster.server': url }));
  const SERVER = 'kubeconfig.clusters[0].cluster.server';

  it.each([
    ['https://10.1.2.3:6443', 'https://10.1.2.3:6443'],
    ['https://192.168.1.20:6443', 'https://192.168.1.20:6443'],
    ['https://172.16.0.1', 'https://172.16.0.1'],
    ['https://127.0.0.1:6443', 'https://127.0.0.1:6443'],
    ['https://127.1:6443', 'https://127.0.0.1:6443'],
    ['https://[::1]:6443', 'https://[::1]:6443'],
    ['https://[fd12:3456::1]:6443', 'https://[fd12:3456::1]:6443'],
    ['https://localhost:6443', 'https://localhost:6443'],
    ['https://K8S.Internal:6443/', 'https://k8s.internal:6443'],
    ['https://metadata.example.com', 'https://metadata.example.com'],
  ])('accepts the private, loopback or named server %s', (url, normalised) => {
    const r = server(url);
    expect(r.ok && r.access.server).toBe(normalised);
  });

  it.each([
    'https://169.254.169.254',
    'https://169.254.169.254:443/latest/meta-data',
    'https://169.254.10.1:6443',
    'https://169.254.170.2',
    'https://2852039166/',
    'https://0xa9fea9fe',
    'https://0251.0376.0251.0376',
    'https://169.254.43518',
    'https://%31%36%39.254.169.254/',
    'https://169.254.169.254./',
    'https://169.254.169.254%2e/',
    'https://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'https://[::ffff:169.254.169.254]',
    'https://[::ffff:a9fe:a9fe]:6443',
    'https://[64:ff9b::169.254.169.254]',
    'https://[::169.254.169.254]',
    'https://[fe80::1]:6443',
    'https://[febf:ffff::1]',
    'https://[fd00:ec2::254]',
    'https://[fd00:ec2:0:0::254]',
    'https://100.100.100.200',
    'https://metadata.google.internal',
    'https://METADATA.GOOGLE.INTERNAL./computeMetadata',
    'https://metadata',
    'https://metadata.goog',
    'https://instance-data.ec2.internal',
  ])('refuses the link-local or metadata server %s', (url) => {
    expect(refused(server(url))).toEqual([
      { path: SERVER, message: 'must not be a link-local or cloud metadata address' },
    ]);
  });

  it.each([
    ['http://10.0.0.1:6443', 'must use https://'],
    ['ftp://10.0.0.1', 'must use https://'],
    ['10.0.0.1:6443', 'must be an https:// URL'],
    ['not a url', 'must be an https:// URL'],
    ['https://[fe80::1%25eth0]', 'must be an https:// URL'],
    ['https://admin:hunter2@10.0.0.1', 'must not hold credentials'],
    ['https://10.0.0.1/?x=1', 'must not have a query or a fragment'],
    ['https://0.0.0.0:6443', 'must be a unicast address'],
    ['https://[::]:6443', 'must be a unicast address'],
    ['https://224.0.0.1', 'must be a unicast address'],
    ['https://255.255.255.255', 'must be a unicast address'],
    ['', 'is required'],
    [`https://k8s.example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
  ])('refuses the server %s', (url, message) => {
    expect(refused(server(url))).toEqual([{ path: SERVER, message }]);
  });

  it('does not echo a refused server in its message', () => {
    const [field] = refused(server('https://admin:hunter2@10.0.0.1'));
    expect(field?.message).not.toContain('hunter2');
  });
});

describe('kubeconfig refusals, each with its exact path', () => {
  const U0 = 'kubeconfig.users[0].user';
  const U1 = 'kubeconfig.users[1].user';
  const C0 = 'kubeconfig.clusters[0].cluster';
  const BROKEN_CERT = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  // [what, edits to the base kubeconfig (undefined deletes), path of the error, its message]
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'an exec user',
      { 'users[1].user': { exec: { command: 'aws' } } },
      `${U1}.exec`,
      /exec plugins are refused/,
    ],
    [
      'an auth-provider user',
      { 'users[0].user': { 'auth-provider': { name: 'gcp' } } },
      `${U0}.auth-provider`,
      /auth-provider plugins/,
    ],
    [
      'a tokenFile',
      { 'users[1].user': { tokenFile: '/var/run/token' } },
      `${U1}.tokenFile`,
      /file references are refused/,
    ],
    [
      'a client-certificate path',
      { 'users[0].user.client-certificate': '/home/me/c.crt' },
      `${U0}.client-certificate`,
      /file references/,
    ],
    [
      'a client-key path',
      { 'users[0].user.client-key': '/home/me/c.key' },
      `${U0}.client-key`,
      /file references/,
    ],
    [
      'a certificate-authority path',
      { 'clusters[0].cluster.certificate-authority': '/etc/ca.crt' },
      `${C0}.certificate-authority`,
      /file references/,
    ],
    [
      'insecure-skip-tls-verify',
      { 'clusters[0].cluster.insecure-skip-tls-verify': true },
      `${C0}.insecure-skip-tls-verify`,
      /cannot be turned off/,
    ],
    [
      'insecure-skip-tls-verify as a string',
      { 'clusters[0].cluster.insecure-skip-tls-verify': 'true' },
      `${C0}.insecure-skip-tls-verify`,
      /cannot be turned off/,
    ],
    [
      'a proxy',
      { 'clusters[0].cluster.proxy-url': 'http://169.254.169.254' },
      `${C0}.proxy-url`,
      /proxies are not supported/,
    ],
    [
      'a basic-auth username',
      { 'users[1].user': { username: 'admin', password: 'pw' } },
      `${U1}.username`,
      /basic authentication was removed/,
    ],
    [
      'a basic-auth password',
      { 'users[1].user': { username: 'admin', password: 'pw' } },
      `${U1}.password`,
      /basic authentication was removed/,
    ],
    ['impersonation', { 'users[1].user.as': 'system:admin' }, `${U1}.as`, /impersonation/],
    [
      'an unknown cluster field',
      { 'clusters[0].cluster.serverr': 'x' },
      `${C0}.serverr`,
      /not a known field/,
    ],
    ['an unknown top-level field', { evil: 1 }, 'kubeconfig.evil', /not a known field/],
    [
      'CA data that is not base64',
      { 'clusters[0].cluster.certificate-authority-data': 'not*base64!' },
      `${C0}.certificate-authority-data`,
      /valid base64/,
    ],
    [
      'CA data that is not PEM',
      { 'clusters[0].cluster.certificate-authority-data': b64('hello') },
      `${C0}.certificate-authority-data`,
      /PEM certificate/,
    ],
    [
      'CA data with a broken certificate',
      { 'clusters[0].cluster.certificate-authority-data': b64(BROKEN_CERT) },
      `${C0}.certificate-authority-data`,
      /does not parse/,
    ],
    [
      'a key in the CA bundle',
      { 'clusters[0].cluster.certificate-authority-data': b64(pki.caPem + pki.strangerKeyPem) },
      `${C0}.certificate-authority-data`,
      /certificates only/,
    ],
    [
      'a client key of another certificate',
      { 'users[0].user.client-key-data': b64(pki.strangerKeyPem) },
      `${U0}.client-key-data`,
      /does not belong to the client certificate/,
    ],
    [
      'an RSA key with the EC certificate',
      { 'users[0].user.client-key-data': b64(pki.rsaKeyPem) },
      `${U0}.client-key-data`,
      /does not belong/,
    ],
    [
      'an encrypted client key',
      { 'users[0].user.client-key-data': b64(pki.encryptedKeyPem) },
      `${U0}.client-key-data`,
      /must not be encrypted/,
    ],
    [
      'a certificate without its key',
      { 'users[0].user.client-key-data': undefined },
      `${U0}.client-key-data`,
      /is required with client-certificate-data/,
    ],
    [
      'a key without its certificate',
      { 'users[0].user.client-certificate-data': undefined },
      `${U0}.client-certificate-data`,
      /is required with client-key-data/,
    ],
    [
      'a certificate and a token',
      { 'users[0].user.token': TOKEN },
      `${U0}.token`,
      /either a client certificate or a token/,
    ],
    [
      'a token with a newline',
      { 'users[1].user.token': `${TOKEN}\n` },
      `${U1}.token`,
      /without spaces or newlines/,
    ],
    ['a numeric token', { 'users[1].user.token': 12345678 }, `${U1}.token`, /must be a string/],
    ['a user without credentials', { 'users[1].user': {} }, U1, /needs client-certificate-data/],
    [
      'two clusters of one name',
      { 'clusters[1]': { name: 'prod', cluster: { server: 'https://k8s' } } },
      'kubeconfig.clusters[1].name',
      /repeats the name/,
    ],
    [
      'a cluster without a name',
      { 'clusters[0].name': undefined },
      'kubeconfig.clusters[0].name',
      /must be a string/,
    ],
    ['clusters that are not a list', { clusters: { prod: {} } }, 'kubeconfig.clusters', /must be a list/],
    [
      'a context naming a missing cluster',
      { 'contexts[1].context.cluster': 'nope' },
      'kubeconfig.contexts[1].context.cluster',
      /names no cluster/,
    ],
    [
      'a context naming a missing user',
      { 'contexts[0].context.user': 'nope' },
      'kubeconfig.contexts[0].context.user',
      /names no user/,
    ],
    [
      'a bad namespace',
      { 'contexts[0].context.namespace': 'Not_A_Namespace' },
      'kubeconfig.contexts[0].context.namespace',
      /namespace name/,
    ],
    [
      'no current context',
      { 'current-context': undefined },
      'kubeconfig.current-context',
      /is required when no context is chosen/,
    ],
    [
      'a dangling current context',
      { 'current-context': 'gone' },
      'kubeconfig.current-context',
      /names no context/,
    ],
    ['another kind', { kind: 'Pod' }, 'kubeconfig.kind', /must be Config/],
  ];

  it.each(cases)('refuses %s', (_name, edits, path, message) => {
    const fields = refused(kubeconfig(edited(edits)));
    expect(fields).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('refuses an exec user even when the chosen context does not use it', () => {
    const kc = edited({ 'users[1].user': { exec: { command: 'sh' } } });
    expect(refused(kubeconfig(kc, { context: 'prod-admin' }))).toEqual([
      { path: `${U1}.exec`, message: expect.stringMatching(/exec plugins are refused/) },
    ]);
  });

  it('names the context option when it names no context', () => {
    expect(refused(kubeconfig(base(), { context: 'staging' }))).toEqual([
      { path: 'context', message: 'names no context in the kubeconfig' },
    ]);
  });

  it('keeps a pasted secret out of paths and messages', () => {
    const kc = edited({ [TOKEN]: 1, 'users[1].user.token': `${TOKEN} x` });
    const text = JSON.stringify(refused(kubeconfig(kc)));
    expect(text).not.toContain(TOKEN.slice(0, 12));
  });
});

describe('kubeconfig text', () => {
  const text = (src: string) => refused(kubeconfig(src));

  it('refuses more than 256 KiB as too large, before parsing', () => {
    const r = kubeconfig(`# ${'x'.repeat(KUBECONFIG_MAX_BYTES)}\n`);
    expect(r).toEqual({
      ok: false,
      tooLarge: true,
      fields: [{ path: 'kubeconfig', message: 'must be at most 256 KiB' }],
    });
  });

  it.each([
    [
      'a billion-laughs alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      /too many YAML aliases/,
    ],
    ['a duplicate key', 'kind: Config\nkind: Config\n', /duplicate key \(line 2, column 1\)/],
    ['a duplicate JSON key', '{"kind": "Config", "kind": "Config"}', /duplicate key/],
    ['two documents', 'kind: Config\n---\nkind: Config\n', /single YAML document/],
    ['broken YAML', 'clusters: [\n', /not valid YAML or JSON/],
    ['a list at the top', '- a\n- b\n', /must be a kubeconfig mapping/],
    ['a scalar', 'hello', /must be a kubeconfig mapping/],
    ['a collection as a key', '? [a, b]\n: 1\n', /not valid YAML or JSON/],
  ])('refuses %s', (_name, src, message) => {
    expect(text(src)).toEqual([{ path: 'kubeconfig', message: expect.stringMatching(message) }]);
  });

  it('refuses binary-tagged values as not being base64 text', () => {
    const src = stringify(base()).replace(
      /certificate-authority-data: .*/,
      'certificate-authority-data: !!binary aGVsbG8=',
    );
    expect(text(src)).toContainEqual({
      path: 'kubeconfig.clusters[0].cluster.certificate-authority-data',
      message: 'must be a base64 string',
    });
  });

  it('does not pollute prototypes through __proto__ keys', () => {
    const fields = text('__proto__: {polluted: true}\nkind: Config\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Named by its parent only: `__proto__` does not read like a kubeconfig field name.
    expect(fields).toContainEqual({ path: 'kubeconfig', message: 'is not a known field here' });
  });

  it('uses the path prefix it is given (credentials)', () => {
    const r = guardKubeconfig(stringify(edited({ 'users[1].user': { exec: {} } })), {
      prefix: 'payload.kubeconfig',
    });
    expect(refused(r)).toEqual([
      { path: 'payload.kubeconfig.users[1].user.exec', message: expect.stringMatching(/exec/) },
    ]);
  });
});

describe('cert_set and token imports', () => {
  const certSet = () => ({
    mode: 'cert_set' as const,
    endpoint: 'https://10.0.0.10:6443',
    ca: pki.caPem,
    cert: pki.clientCertPem,
    key: pki.clientKeyPem,
  });

  it('accepts a certificate set', () => {
    const r = clusterImport(certSet());
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    expect(r.access).toEqual({
      server: 'https://10.0.0.10:6443',
      ca_pem: expect.stringContaining('BEGIN CERTIFICATE'),
      auth: {
        kind: 'cert',
        cert_pem: expect.stringContaining('BEGIN CERTIFICATE'),
        key_pem: pki.clientKeyPem,
      },
      context: null,
    });
    expect(r.metadata).toMatchObject({
      auth: 'client_certificate',
      ca_subject: 'CN=test-ca',
      client_cert: { subject: 'O=system:masters, CN=admin' },
    });
  });

  it('accepts a token', () => {
    const r = clusterImport({ mode: 'token', endpoint: 'https://[::1]:6443', ca: pki.caPem, token: TOKEN });
    expect(r.ok && r.access.auth).toEqual({ kind: 'token', token: TOKEN });
    expect(r.ok && r.metadata).toMatchObject({
      auth: 'token',
      server: 'https://[::1]:6443',
      client_cert: null,
    });
  });

  it('accepts a key preceded by its EC PARAMETERS block, as openssl ecparam writes it', () => {
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const r = clusterImport({ ...certSet(), key: params + pki.clientKeyPem });
    expect(r.ok && r.access.auth).toMatchObject({ kind: 'cert', key_pem: pki.clientKeyPem });
  });

  it('delegates the kubeconfig mode, with the context option', () => {
    const r = clusterImport({ mode: 'kubeconfig', kubeconfig: stringify(base()), context: 'prod-bot' });
    expect(r.ok && r.access.context).toBe('prod-bot');
  });

  it.each<[string, Partial<ReturnType<typeof certSet>>, string, RegExp]>([
    ['a metadata endpoint', { endpoint: 'https://[::ffff:169.254.169.254]:6443' }, 'endpoint', /metadata/],
    ['an http endpoint', { endpoint: 'http://10.0.0.1' }, 'endpoint', /https/],
    ['a missing CA', { ca: '' }, 'ca', /is required/],
    ['a CA that is not PEM', { ca: 'hello' }, 'ca', /PEM certificate/],
    ['a key of another certificate', { key: pki.strangerKeyPem }, 'key', /does not belong/],
    ['an encrypted key', { key: pki.encryptedKeyPem }, 'key', /must not be encrypted/],
    ['a certificate that is a key', { cert: pki.clientKeyPem }, 'cert', /certificates only/],
    ['an oversized certificate', { cert: 'x'.repeat(64 * 1024 + 1) }, 'cert', /at most 64 KiB/],
  ])('refuses %s', (_name, change, path, message) => {
    const fields = refused(clusterImport({ ...certSet(), ...change }));
    expect(fields).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('marks an oversized field as too large', () => {
    const r = clusterImport({ ...certSet(), cert: 'x'.repeat(64 * 1024 + 1) });
    expect(!r.ok && r.tooLarge).toBe(true);
  });

  it('refuses a token with whitespace, naming the token field', () => {
    expect(
      refused(clusterImport({ mode: 'token', endpoint: 'https://k8s', ca: pki.caPem, token: ' a b ' })),
    ).toEqual([{ path: 'token', message: 'must be printable ASCII without spaces or newlines' }]);
  });

  it('warns about an expired client certificate in a set', () => {
    const r = clusterImport(certSet(), new Date(pki.notAfter.getTime() + 1000));
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual(['ca', 'cert']);
  });
});

describe('EKS kubeconfigs: converted, never run (SPEC §7.6)', () => {
  const EKS_SERVER = 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com';
  const eksKc = (exec: unknown, server = EKS_SERVER) =>
    edited({
      'clusters[0].cluster.server': server,
      'users[1].user': { exec },
      'current-context': 'prod-bot',
    });
  const awsExec = (args: string[], env?: unknown) => ({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args,
    ...(env ? { env } : {}),
  });

  it('reads `aws eks get-token` as mode eks with the cluster name and region of its arguments', () => {
    const r = kubeconfig(
      eksKc(awsExec(['--region', 'us-east-2', 'eks', 'get-token', '--cluster-name', 'shop'])),
    );
    expect(r.ok && r.access.auth).toEqual({ kind: 'eks', cluster_name: 'shop', region: 'us-east-2' });
    expect(r.ok && r.metadata).toMatchObject({
      auth: 'eks',
      eks: { cluster_name: 'shop', region: 'us-east-2' },
    });
  });

  it('takes the region from AWS_REGION in the env, then from the server name', () => {
    const fromEnv = kubeconfig(
      eksKc(
        awsExec(['eks', 'get-token', '--cluster-name=shop'], [{ name: 'AWS_REGION', value: 'ap-south-1' }]),
      ),
    );
    expect(fromEnv.ok && fromEnv.access.auth).toMatchObject({ region: 'ap-south-1' });
    const fromServer = kubeconfig(eksKc(awsExec(['eks', 'get-token', '--cluster-name', 'shop'])));
    expect(fromServer.ok && fromServer.access.auth).toMatchObject({ region: 'eu-west-1' });
  });

  it('keeps a role to assume from --role-arn, -r or AWS_ROLE_ARN, the command line first', () => {
    const ROLE = 'arn:aws:iam::123456789012:role/teams/eks-deployer';
    const cli = kubeconfig(
      eksKc(awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--role-arn', ROLE])),
    );
    expect(cli.ok && cli.access.auth).toEqual({
      kind: 'eks',
      cluster_name: 'shop',
      region: 'eu-west-1',
      role_arn: ROLE,
    });
    expect(cli.ok && cli.metadata.eks).toEqual({ cluster_name: 'shop', region: 'eu-west-1', role_arn: ROLE });
    const iam = kubeconfig(
      eksKc({ command: 'aws-iam-authenticator', args: ['token', '-i', 'shop', '-r', ROLE] }),
    );
    expect(iam.ok && iam.access.auth).toMatchObject({ role_arn: ROLE });
    const both = kubeconfig(
      eksKc(
        awsExec(
          ['eks', 'get-token', '--cluster-name', 'shop', `--role-arn=${ROLE}`],
          [{ name: 'AWS_ROLE_ARN', value: 'arn:aws-cn:iam::123456789012:role/other' }],
        ),
      ),
    );
    expect(both.ok && both.access.auth).toMatchObject({ role_arn: ROLE });
    const env = kubeconfig(
      eksKc(
        awsExec(
          ['eks', 'get-token', '--cluster-name', 'shop'],
          [{ name: 'AWS_ROLE_ARN', value: 'arn:aws-cn:iam::123456789012:role/other' }],
        ),
      ),
    );
    expect(env.ok && env.access.auth).toMatchObject({ role_arn: 'arn:aws-cn:iam::123456789012:role/other' });
    const none = kubeconfig(eksKc(awsExec(['eks', 'get-token', '--cluster-name', 'shop'])));
    expect(none.ok && none.access.auth).not.toHaveProperty('role_arn');
  });

  it('reads aws-iam-authenticator too, and warns that a profile is ignored', () => {
    const r = kubeconfig(
      eksKc({ command: '/usr/local/bin/aws-iam-authenticator', args: ['token', '-i', 'shop'] }),
    );
    expect(r.ok && r.access.auth).toEqual({ kind: 'eks', cluster_name: 'shop', region: 'eu-west-1' });
    const p = kubeconfig(eksKc(awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--profile', 'ops'])));
    expect(p.ok && p.warnings).toContainEqual({
      path: 'kubeconfig.users[1].user.exec.args',
      message: expect.stringMatching(/profile is ignored/),
    });
  });

  it('refuses what the runner could not honour, with the field and the reason', () => {
    const U1 = 'kubeconfig.users[1].user.exec';
    const cases: [unknown, string, RegExp, string?][] = [
      [
        awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--role-arn', 'arn:aws:iam::1:role/x']),
        `${U1}.args`,
        /must be an IAM role ARN/,
      ],
      [awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--role-arn']), `${U1}.args`, /IAM role ARN/],
      [
        awsExec(
          ['eks', 'get-token', '--cluster-name', 'shop'],
          [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::123456789012:user/alice' }],
        ),
        `${U1}.env`,
        /must be an IAM role ARN/,
      ],
      [awsExec(['eks', 'get-token']), `${U1}.args`, /must name the EKS cluster/],
      [
        awsExec(['eks', 'get-token', '--cluster-name', 'shop']),
        `${U1}.args`,
        /must give the region/,
        'https://10.0.0.10:6443',
      ],
      [
        awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--region', 'moon']),
        `${U1}.args`,
        /no AWS region/,
      ],
      [awsExec(['s3', 'cp', 's3://x', '/tmp/x']), U1, /exec plugins are refused/],
      [
        { command: 'sh', args: ['-c', 'aws eks get-token --cluster-name shop'] },
        U1,
        /exec plugins are refused/,
      ],
      [
        awsExec(['eks', 'get-token', '--cluster-name', 'shop', '--endpoint-url', 'http://evil']),
        `${U1}.args`,
        /cannot honour/,
      ],
    ];
    for (const [exec, path, message, server] of cases)
      expect(refused(kubeconfig(eksKc(exec, server)))).toContainEqual({
        path,
        message: expect.stringMatching(message),
      });
  });
});
