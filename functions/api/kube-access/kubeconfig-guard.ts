import { LineCounter, parseDocument } from 'yaml';
import { eksExec, regionOfServer } from './eks-exec';
import {
  type AuthKind,
  type CertInfo,
  type ClusterAuth,
  Findings,
  fieldAt,
  type GuardResult,
  KUBECONFIG_MAX_BYTES,
  sizedString,
} from './guard-core';
import { checkServer } from './server-address';
import { checkToken, clientCertificate, dn, parseCertificates } from './tls-material';

/**
 * Kubeconfig checks: every cluster, user and context entry is checked, not only the chosen one,
 * because the kubeconfig itself is stored as a credential and may be used with another context
 * later. Plugins, file references and disabled TLS verification are refused with exact paths.
 */
type Obj = Record<string, unknown>;
type Entry = { name: string; body: Obj; path: string };

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

const fileRef = (instead: string) => `file references are refused: embed the content as ${instead}`;
const IMPERSONATION = 'impersonation is not supported: give the user its own credentials';
const REFUSED_USER_FIELDS: Record<string, string> = {
  exec: 'exec plugins are refused: they run commands wherever the kubeconfig is loaded',
  'auth-provider': 'auth-provider plugins are refused: they run code and refresh tokens outside the platform',
  tokenFile: fileRef('token'),
  'client-certificate': fileRef('client-certificate-data'),
  'client-key': fileRef('client-key-data'),
  username: 'basic authentication was removed from Kubernetes: use a client certificate or a token',
  password: 'basic authentication was removed from Kubernetes: use a client certificate or a token',
  as: IMPERSONATION,
  'as-uid': IMPERSONATION,
  'as-groups': IMPERSONATION,
  'as-user-extra': IMPERSONATION,
};
const FIELDS = {
  root: [
    'apiVersion',
    'kind',
    'clusters',
    'users',
    'contexts',
    'current-context',
    'preferences',
    'extensions',
  ],
  cluster: [
    'server',
    'certificate-authority',
    'certificate-authority-data',
    'insecure-skip-tls-verify',
    'tls-server-name',
    'proxy-url',
    'disable-compression',
    'extensions',
  ],
  user: [
    'client-certificate-data',
    'client-key-data',
    'token',
    'extensions',
    ...Object.keys(REFUSED_USER_FIELDS),
  ],
  context: ['cluster', 'user', 'namespace', 'extensions'],
};
const YAML_PROBLEMS: Record<string, string> = {
  DUPLICATE_KEY: 'has a duplicate key',
  MULTIPLE_DOCS: 'must hold a single YAML document',
  TAG_RESOLVE_FAILED: 'uses an unknown YAML tag',
};

function unknownFields(f: Findings, obj: Obj, path: string, known: readonly string[]) {
  for (const key of Object.keys(obj))
    if (!known.includes(key)) f.error(fieldAt(path, key), 'is not a known field here');
}

function parseYaml(f: Findings, src: string, path: string): Obj | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(src, {
    lineCounter: lines,
    prettyErrors: false, // pretty errors quote the source, which may hold a key
    uniqueKeys: true,
    stringKeys: true,
    strict: true,
    version: '1.2',
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    return void f.error(
      path,
      `${YAML_PROBLEMS[problem.code] ?? 'is not valid YAML or JSON'} (line ${line}, column ${col})`,
    );
  }
  let value: unknown;
  try {
    // Aliases multiply on expansion ("billion laughs"); real kubeconfigs use none.
    value = doc.toJS({ maxAliasCount: 16 });
  } catch {
    return void f.error(path, 'uses too many YAML aliases');
  }
  if (!isObj(value)) return void f.error(path, 'must be a kubeconfig mapping');
  return value;
}

function namedList(
  f: Findings,
  root: Obj,
  key: 'clusters' | 'users' | 'contexts',
  field: string,
  prefix: string,
) {
  const path = `${prefix}.${key}`;
  const list = root[key];
  const out: Entry[] = [];
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) {
    f.error(path, 'must be a list');
    return out;
  }
  const seen = new Set<string>();
  for (const [i, item] of (list as unknown[]).entries()) {
    const p = `${path}[${i}]`;
    if (!isObj(item)) {
      f.error(p, `must be a mapping with name and ${field}`);
      continue;
    }
    unknownFields(f, item, p, ['name', field]);
    if (typeof item.name !== 'string' || !item.name || item.name.length > 253) {
      f.error(`${p}.name`, 'must be a string of 1 to 253 characters');
    } else if (seen.has(item.name)) {
      f.error(`${p}.name`, `repeats the name of an earlier ${field}`);
    } else if (!isObj(item[field])) {
      seen.add(item.name);
      f.error(`${p}.${field}`, 'must be a mapping');
    } else {
      seen.add(item.name);
      out.push({ name: item.name, body: item[field], path: `${p}.${field}` });
    }
  }
  return out;
}

function embedded(f: Findings, value: unknown, path: string): string | undefined {
  if (typeof value !== 'string') return void f.error(path, 'must be a base64 string');
  const b64 = value.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
    return void f.error(path, 'must be valid base64');
  return Buffer.from(b64, 'base64').toString('utf8');
}

function checkCluster(f: Findings, { body: b, path: p }: Entry) {
  const before = f.errors.length;
  unknownFields(f, b, p, FIELDS.cluster);
  if (present(b['certificate-authority']))
    f.error(`${p}.certificate-authority`, fileRef('certificate-authority-data'));
  if (present(b['insecure-skip-tls-verify']) && b['insecure-skip-tls-verify'] !== false) {
    f.error(`${p}.insecure-skip-tls-verify`, 'TLS verification cannot be turned off');
  }
  if (present(b['proxy-url']))
    f.error(`${p}.proxy-url`, 'proxies are not supported: the runner dials the server itself');
  const server = checkServer(f, b.server, `${p}.server`);
  let ca: { pem: string; subject: string } | null = null;
  if (present(b['certificate-authority-data'])) {
    const pem = embedded(f, b['certificate-authority-data'], `${p}.certificate-authority-data`);
    const certs =
      pem === undefined ? undefined : parseCertificates(f, pem, `${p}.certificate-authority-data`);
    if (certs) ca = { pem: certs.map((c) => c.toString()).join(''), subject: dn(certs[0]!.subject) };
  }
  const sni = b['tls-server-name'];
  if (present(sni) && (typeof sni !== 'string' || !/^[A-Za-z0-9.-]{1,253}$/.test(sni))) {
    f.error(`${p}.tls-server-name`, 'must be a DNS name');
  }
  if (f.errors.length > before || !server) return;
  return { server, ca, tlsServerName: present(sni) ? (sni as string) : undefined };
}

function checkUser(f: Findings, { body: b, path: p }: Entry) {
  const before = f.errors.length;
  unknownFields(f, b, p, FIELDS.user);
  // An exec user is read as EKS when it is `aws eks get-token` or aws-iam-authenticator; eksExec refuses the rest.
  const refused = Object.entries(REFUSED_USER_FIELDS).filter(([k]) => k !== 'exec' && present(b[k]));
  for (const [k, message] of refused) f.error(`${p}.${k}`, message);
  const certPath = `${p}.client-certificate-data`;
  const keyPath = `${p}.client-key-data`;
  const hasCert = present(b['client-certificate-data']) || present(b['client-key-data']);
  let auth: ClusterAuth | undefined;
  let info: CertInfo | null = null;
  if (present(b.exec)) {
    if (hasCert || present(b.token))
      f.error(`${p}.exec`, 'set either exec (EKS), a client certificate or a token, not more');
    const eks = eksExec(f, b.exec, `${p}.exec`);
    // No region yet: the chosen cluster's server name may tell it (see guardKubeconfig).
    if (eks)
      auth = {
        kind: 'eks',
        cluster_name: eks.cluster_name,
        region: eks.region ?? '',
        ...(eks.role_arn ? { role_arn: eks.role_arn } : {}),
      };
  } else if (hasCert && present(b.token)) {
    f.error(`${p}.token`, 'set either a client certificate or a token, not both');
  } else if (hasCert) {
    if (!present(b['client-certificate-data'])) f.error(certPath, 'is required with client-key-data');
    if (!present(b['client-key-data'])) f.error(keyPath, 'is required with client-certificate-data');
    const cert = present(b['client-certificate-data'])
      ? embedded(f, b['client-certificate-data'], certPath)
      : undefined;
    const key = present(b['client-key-data']) ? embedded(f, b['client-key-data'], keyPath) : undefined;
    const pair =
      cert !== undefined && key !== undefined
        ? clientCertificate(f, cert, certPath, key, keyPath)
        : undefined;
    if (pair) auth = { kind: 'cert', cert_pem: pair.cert_pem, key_pem: pair.key_pem };
    info = pair?.info ?? null;
  } else if (present(b.token)) {
    const token = checkToken(f, b.token, `${p}.token`);
    if (token !== undefined) auth = { kind: 'token', token };
  } else if (!refused.length) {
    f.error(p, 'needs client-certificate-data with client-key-data, or a token');
  }
  if (f.errors.length > before || !auth) return;
  return { auth, info };
}

function checkContext(f: Findings, { body: b, path: p }: Entry, clusters: Set<string>, users: Set<string>) {
  unknownFields(f, b, p, FIELDS.context);
  for (const [key, names] of [
    ['cluster', clusters],
    ['user', users],
  ] as const) {
    if (typeof b[key] !== 'string' || !b[key]) f.error(`${p}.${key}`, 'is required');
    else if (!names.has(b[key] as string)) f.error(`${p}.${key}`, `names no ${key} in the kubeconfig`);
  }
  const ns = b.namespace;
  if (present(ns) && (typeof ns !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns))) {
    f.error(`${p}.namespace`, 'must be a Kubernetes namespace name');
  }
  return {
    cluster: b.cluster as string,
    user: b.user as string,
    namespace: present(ns) ? (ns as string) : null,
  };
}

export type KubeconfigOptions = {
  /** The context to use instead of current-context. */
  context?: unknown;
  /** Where the kubeconfig sits in the request: `kubeconfig` for imports, `payload.kubeconfig` for credentials. */
  prefix?: string;
  contextPath?: string;
  now?: Date;
};

export function guardKubeconfig(text: unknown, options: KubeconfigOptions = {}): GuardResult {
  const prefix = options.prefix ?? 'kubeconfig';
  const f = new Findings(options.now ?? new Date());
  const src = sizedString(f, text, prefix, KUBECONFIG_MAX_BYTES);
  const root = src === undefined ? undefined : parseYaml(f, src, prefix);
  if (!root) return f.fail();
  unknownFields(f, root, prefix, FIELDS.root);
  if (root.kind !== undefined && root.kind !== 'Config') f.error(`${prefix}.kind`, 'must be Config');
  if (root.apiVersion !== undefined && root.apiVersion !== 'v1')
    f.error(`${prefix}.apiVersion`, 'must be v1');

  const clusterList = namedList(f, root, 'clusters', 'cluster', prefix);
  const userList = namedList(f, root, 'users', 'user', prefix);
  const contextList = namedList(f, root, 'contexts', 'context', prefix);
  const clusters = new Map(clusterList.map((c) => [c.name, checkCluster(f, c)]));
  const users = new Map(userList.map((u) => [u.name, checkUser(f, u)]));
  const clusterNames = new Set(clusters.keys());
  const userNames = new Set(users.keys());
  const contexts = new Map(contextList.map((c) => [c.name, checkContext(f, c, clusterNames, userNames)]));

  const cc = root['current-context'];
  if (present(cc) && typeof cc !== 'string') f.error(`${prefix}.current-context`, 'must be a string');
  const current = typeof cc === 'string' && cc ? cc : null;
  let chosen: string | undefined;
  if (present(options.context)) {
    const path = options.contextPath ?? 'context';
    if (typeof options.context !== 'string') f.error(path, 'must be a string');
    else if (!contexts.has(options.context)) f.error(path, 'names no context in the kubeconfig');
    else chosen = options.context;
  } else if (current === null) {
    f.error(`${prefix}.current-context`, 'is required when no context is chosen');
  } else if (!contexts.has(current)) {
    f.error(`${prefix}.current-context`, 'names no context in the kubeconfig');
  } else chosen = current;
  if (f.errors.length || chosen === undefined) return f.fail();

  // No errors: every entry checked out, so every lookup below is defined.
  const context = contexts.get(chosen)!;
  const cluster = clusters.get(context.cluster)!;
  const user = users.get(context.user)!;
  const authKind = (u: { auth: ClusterAuth }): AuthKind =>
    u.auth.kind === 'cert' ? 'client_certificate' : u.auth.kind;
  let auth = user.auth;
  if (auth.kind === 'eks' && !auth.region) {
    const region = regionOfServer(cluster.server);
    if (!region) {
      const i = userList.findIndex((u) => u.name === context.user);
      f.error(
        `${prefix}.users[${i}].user.exec.args`,
        'must give the region (--region or AWS_REGION in env): the server’s name does not tell it',
      );
      return f.fail();
    }
    auth = { ...auth, region };
  }
  return {
    ok: true,
    access: {
      server: cluster.server,
      ca_pem: cluster.ca?.pem ?? null,
      ...(cluster.tlsServerName ? { tls_server_name: cluster.tlsServerName } : {}),
      auth,
      context: chosen,
      ...(context.namespace ? { namespace: context.namespace } : {}),
    },
    metadata: {
      server: cluster.server,
      auth: authKind(user),
      ...(auth.kind === 'eks'
        ? {
            eks: {
              cluster_name: auth.cluster_name,
              region: auth.region,
              ...(auth.role_arn ? { role_arn: auth.role_arn } : {}),
            },
          }
        : {}),
      ca_subject: cluster.ca?.subject ?? null,
      client_cert: user.info,
      namespace: context.namespace,
      kubeconfig: {
        context: chosen,
        current_context: current,
        clusters: [...clusters].map(([name, c]) => ({ name, server: c!.server })),
        users: [...users].map(([name, u]) => ({ name, auth: authKind(u!), client_cert: u!.info })),
        contexts: [...contexts].map(([name, c]) => ({ name, ...c })),
      },
    },
    warnings: f.warnings,
  };
}
