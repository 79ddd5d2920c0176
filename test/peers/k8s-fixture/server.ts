/**
 * A Kubernetes API server fixture. No kube-apiserver can run on the machines these tests run on
 * (no package, and kind/k3s need images from the internet), so this speaks the part of its wire
 * contract the runner uses, over real TLS with certificates made at start, and is strict where a
 * real server is: a bearer token it did not issue or a client certificate from another CA is 401,
 * an anonymous request for anything but /version is 403, and api.ts lists the rest.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createApi, type Failures } from './api';
import { type EksAuthority, type EksVerdict, verifyEksToken } from './eks';
import { makePki, type Pki } from './pki';
import { apiVersionOf, RESOURCES, StatusError } from './resources';
import { type Obj, Store } from './store';
import { DEFAULT_BEHAVIOUR, Workloads } from './workloads';

export type { Failures } from './api';
export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  /** Who the fixture took the caller for; null for anonymous or refused. */
  user: string | null;
};
export type K8sFixture = Pick<
  Pki,
  'ca' | 'otherCa' | 'clientCert' | 'clientKey' | 'foreignCert' | 'foreignKey'
> & {
  url: string;
  token: string;
  gitVersion: string;
  /** Copies of every stored object, server-set fields included. */
  objects(): Obj[];
  requests(): RecordedRequest[];
  /** TLS connections accepted so far, and those still open: a client that keeps one alive makes one. */
  connections(): { opened: number; open: number };
  /** What became of each `k8s-aws-v1.` token presented, in order (with `eks` only). */
  eksVerdicts(): EksVerdict[];
  setFailure(patch: Partial<Failures>): void;
  /** Puts an object in place as another field manager (kubectl by default) would. */
  seed(obj: Obj, manager?: string): void;
  stop(): Promise<void>;
};

/** kube-apiserver's default request body limit. */
const MAX_BODY = 3 * 1024 * 1024;
const GIT_VERSION = 'v1.31.4';

export async function startK8sFixture(
  opts: {
    namespaces?: string[];
    behaviour?: Partial<Failures>;
    /** Accept `k8s-aws-v1.` tokens presigned for this cluster with these AWS keys, as EKS does. */
    eks?: EksAuthority;
  } = {},
): Promise<K8sFixture> {
  const pki = makePki();
  const token = randomBytes(24).toString('base64url');
  const store = new Store(new Set(['default', 'kube-system', ...(opts.namespaces ?? [])]));
  const failures: Failures = { ...DEFAULT_BEHAVIOUR, deny: null, ...opts.behaviour };
  const handle = createApi(store, new Workloads(failures), failures);
  const recorded: RecordedRequest[] = [];
  const eksVerdicts: EksVerdict[] = [];

  function authenticate(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    if (header !== undefined) {
      if (header === `Bearer ${token}`) return 'system:serviceaccount:deploy:k8s-manage';
      if (opts.eks && header.startsWith('Bearer k8s-aws-v1.')) {
        const verdict = verifyEksToken(header.slice('Bearer '.length), opts.eks);
        eksVerdicts.push(verdict);
        if (verdict.ok) return verdict.user;
      }
      throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    }
    // As kube-apiserver does: a client certificate is requested, and checked by the authenticator.
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    if (peer && Object.keys(peer).length > 0) {
      if (!socket.authorized) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      return String(peer.subject.CN);
    }
    return null;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  const server: Server = createServer(
    {
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.clientCa,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const method = req.method ?? 'GET';
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const entry: RecordedRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'] ?? null,
        user: null,
      };
      recorded.push(entry);
      (async () => {
        // The body is read first, refusals included: a body left unread would corrupt the next
        // request on the same keep-alive connection.
        const body = await readBody(req);
        const user = authenticate(req);
        entry.user = user;
        if (method === 'GET' && url.pathname.replace(/\/+$/, '') === '/version')
          return send(200, { major: '1', minor: '31', gitVersion: GIT_VERSION, platform: 'linux/amd64' });
        if (user === null)
          throw new StatusError(
            403,
            'Forbidden',
            `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${url.pathname}"`,
          );
        const out = handle({ method, url, contentType: entry.contentType ?? '', body, user });
        send(out.status, out.body);
      })().catch((e) => {
        if (e instanceof StatusError) send(e.code, e.body());
        else
          send(500, new StatusError(500, 'InternalError', `fixture error: ${(e as Error).message}`).body());
      });
    },
  );
  const connections = { opened: 0, open: 0 };
  server.on('secureConnection', (socket) => {
    connections.opened += 1;
    connections.open += 1;
    socket.once('close', () => {
      connections.open -= 1;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    token,
    gitVersion: GIT_VERSION,
    ca: pki.ca,
    otherCa: pki.otherCa,
    clientCert: pki.clientCert,
    clientKey: pki.clientKey,
    foreignCert: pki.foreignCert,
    foreignKey: pki.foreignKey,
    objects: () => store.all(),
    eksVerdicts: () => [...eksVerdicts],
    requests: () => recorded.map((r) => ({ ...r, query: { ...r.query } })),
    connections: () => ({ ...connections }),
    setFailure: (patch) => void Object.assign(failures, patch),
    seed(obj, manager = 'kubectl') {
      const def = RESOURCES.find((r) => apiVersionOf(r) === obj.apiVersion && r.kind === obj.kind);
      if (!def) throw new Error(`fixture: unknown kind ${obj.apiVersion} ${obj.kind}`);
      store.apply(def, String(obj.metadata.namespace), String(obj.metadata.name), obj, manager, true);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
