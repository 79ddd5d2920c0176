/**
 * The one place the runner talks to a cluster. The KubeConfig is built from the claim's validated
 * ClusterAccess only (no file, no environment, no exec or auth-provider plugin: `loadFromOptions`
 * with one cluster, user and context), and every request carries an abort signal joined from the
 * job's signal and a per-request timeout, since the client library sets none of its own.
 */

import { STATUS_CODES } from 'node:http';
import { Agent } from 'node:https';
import {
  ApiException,
  AppsV1Api,
  type Configuration,
  CoreV1Api,
  createConfiguration,
  HttpMethod,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type SecurityAuthentication,
  ServerConfiguration,
  type V1APIResource,
  VersionApi,
} from '@kubernetes/client-node';
import type { ClusterAccess } from '../../shared/jobs/claim';
import { StepError } from '../jobs/steps';

export const FIELD_MANAGER = 'k8s-manage';
export const REQUEST_TIMEOUT_MS = 30_000;

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

export function kubeConfigFor(cluster: ClusterAccess): KubeConfig {
  const server = new URL(cluster.server);
  if (server.protocol !== 'https:') throw new Error('the cluster server must be an https URL');
  const auth = cluster.auth;
  // EKS access is turned into a minted token by connectCluster before any client is built.
  if (auth.kind === 'eks') throw new Error('EKS access needs its token minted first');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'target',
        server: cluster.server.replace(/\/+$/, ''),
        skipTLSVerify: false,
        ...(cluster.ca ? { caData: b64(cluster.ca) } : {}),
        ...(cluster.tls_server_name ? { tlsServerName: cluster.tls_server_name } : {}),
      },
    ],
    users: [
      auth.kind === 'token'
        ? { name: 'deployer', token: auth.token }
        : { name: 'deployer', certData: b64(auth.cert), keyData: b64(auth.key) },
    ],
    contexts: [{ name: 'target', cluster: 'target', user: 'deployer' }],
    currentContext: 'target',
  });
  return kc;
}

/**
 * KubernetesObjectApi with discovery made public and a server-side apply that sends the object as
 * given: the library's own `patch` passes known kinds through its typed models, which silently drop
 * every field those models do not know (newer API fields, CRD-like extensions) — and under
 * server-side apply a dropped field is a field the release gives up.
 */
export class ObjectClient extends KubernetesObjectApi {
  resourceFor(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }

  async apply(obj: KubernetesObject): Promise<{ created: boolean; object: KubernetesObject }> {
    const path = await this.specUriPath(structuredClone(obj), 'patch');
    let req = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    req.setHeaderParam('Accept', 'application/json');
    req.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    req.setQueryParam('fieldManager', FIELD_MANAGER);
    // Our manager takes fields over from kubectl edits and others: the release is what should run.
    req.setQueryParam('force', 'true');
    req.setBody(JSON.stringify(obj));
    await this.configuration.authMethods.default?.applySecurityAuthentication(req);
    for (const m of this.configuration.middleware) req = await m.pre(req).toPromise();
    const res = await this.configuration.httpApi.send(req).toPromise();
    const text = await res.body.text();
    if (res.httpStatusCode < 200 || res.httpStatusCode > 299)
      throw new ApiException(res.httpStatusCode, 'Unsuccessful HTTP Request', parseJson(text), {});
    return { created: res.httpStatusCode === 201, object: parseJson(text) as KubernetesObject };
  }
}

export type K8sClients = {
  objects: ObjectClient;
  apps: AppsV1Api;
  core: CoreV1Api;
  version: VersionApi;
  /** Closes the connection kept open to the API server; the clients are unusable after it. */
  close(): void;
};

/**
 * The KubeConfig's authentication with one kept-alive connection. The library makes a new agent,
 * so a new TCP connection and TLS handshake, for every request; a release makes a dozen or more
 * (discovery, applies, a read per rollout poll) and kubectl reuses one connection for all of them.
 * The library still sets the headers and builds its agent's TLS options (CA, client certificate,
 * server name) each time; only the first agent's options are kept, for the shared one.
 */
class KeptAliveAuth implements SecurityAuthentication {
  private agent: Agent | null = null;
  private closed = false;
  constructor(private readonly kc: KubeConfig) {}

  getName(): string {
    return 'kubeconfig';
  }

  async applySecurityAuthentication(req: RequestContext): Promise<void> {
    await this.kc.applySecurityAuthentication(req);
    if (this.closed) throw new Error('the cluster clients were closed');
    const made = req.getAgent();
    if (!(made instanceof Agent)) return;
    this.agent ??= new Agent({ ...made.options, keepAlive: true, maxSockets: 4 });
    req.setAgent(this.agent);
  }

  close(): void {
    this.closed = true;
    this.agent?.destroy();
    this.agent = null;
  }
}

export function k8sClients(
  cluster: ClusterAccess,
  opts: { signal?: AbortSignal; requestTimeoutMs?: number } = {},
): K8sClients {
  const kc = kubeConfigFor(cluster);
  const timeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const auth = new KeptAliveAuth(kc);
  const config: Configuration = createConfiguration({
    baseServer: new ServerConfiguration(kc.getCurrentCluster()!.server, {}),
    authMethods: { default: auth },
    promiseMiddleware: [
      {
        pre: async (req) => {
          const t = AbortSignal.timeout(timeout);
          req.setSignal(opts.signal ? AbortSignal.any([opts.signal, t]) : t);
          return req;
        },
        post: async (res) => res,
      },
    ],
  });
  return {
    objects: new ObjectClient(config),
    apps: new AppsV1Api(config),
    core: new CoreV1Api(config),
    version: new VersionApi(config),
    close: () => auth.close(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type K8sFailure = { status: number | null; reason: string | null; message: string };

/**
 * The server's Status message for an HTTP error, or the transport's reason. ApiException's own
 * message is never used: it embeds the whole response body and headers.
 */
export function describeK8sError(e: unknown): K8sFailure {
  if (e instanceof ApiException) {
    const body = typeof e.body === 'string' ? parseJson(e.body) : e.body;
    const status = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    // Some generated clients drop the body of a 401: the status line then says all there is.
    const message =
      typeof status.message === 'string' ? status.message : (STATUS_CODES[e.code] ?? `HTTP ${e.code}`);
    const reason = typeof status.reason === 'string' ? status.reason : null;
    return { status: e.code, reason, message };
  }
  const err = e as { name?: string; message?: string; code?: string };
  if (err?.name === 'AbortError')
    return { status: null, reason: 'Timeout', message: 'the request timed out or was cancelled' };
  return { status: null, reason: err?.code ?? null, message: String(err?.message ?? e) };
}

/** A failed request as the step error the platform expects; `redact` runs over every message. */
export function k8sStepError(
  e: unknown,
  what: string,
  redact: (s: string) => string,
  signal?: AbortSignal,
): StepError {
  if (e instanceof StepError) return e;
  if (signal?.aborted)
    return new StepError('TIMEOUT', `${what}: stopped, the job was cancelled or lost its lease`);
  const f = describeK8sError(e);
  const message = redact(`${what}: ${f.message}`);
  const detail = { http_status: f.status, reason: f.reason };
  if (f.status === null) return new StepError('CLUSTER_UNREACHABLE', message, { detail });
  if (f.status >= 400 && f.status < 500) return new StepError('K8S_REJECTED', message, { detail });
  return new StepError('APPLY_FAILED', message, { detail });
}
