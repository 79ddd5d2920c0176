import type { Duplex } from 'node:stream';
import ssh2, { type ConnectConfig } from 'ssh2';
import type { HostAccess } from '../../shared/jobs/claim';
import { refusedHost } from '../../shared/net/refused-address';
import { StepError } from '../jobs/steps';
import { dialableAddress } from '../net/dial-check';
import { fingerprintOf } from './fingerprint';
import { SshShell } from './shell';

export { SshShell } from './shell';

export type ConnectOptions = {
  /** Until the SSH handshake and authentication are done. Default 10 s. */
  connectTimeoutMs?: number;
  /** Keepalive interval; three unanswered ones end the connection. Default 10 s. */
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
};

export type Connection = { shell: SshShell; observedHostKey: string };

type LevelledError = Error & { level?: string; code?: string };

/**
 * Library messages are not written with secrets in mind: remove every credential value and every
 * longer line of a key before a message can reach a step report or a log.
 */
function scrub(message: string, host: HostAccess): string {
  const auth = host.auth;
  const secrets =
    auth.kind === 'ssh_password'
      ? [auth.password]
      : [auth.private_key, ...(auth.passphrase ? [auth.passphrase] : []), ...auth.private_key.split(/\r?\n/)];
  let out = message;
  for (const s of secrets) {
    if (s.trim().length >= 4) out = out.replaceAll(s.trim(), '[redacted]');
  }
  return out;
}

function authConfig(host: HostAccess): Partial<ConnectConfig> {
  if (host.auth.kind === 'ssh_private_key') {
    return {
      privateKey: host.auth.private_key,
      ...(host.auth.passphrase ? { passphrase: host.auth.passphrase } : {}),
    };
  }
  // Servers that take passwords only through keyboard-interactive (PAM) get it there as well.
  return { password: host.auth.password, tryKeyboard: true };
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name lookup failed',
};

function mapError(err: LevelledError, host: HostAccess, where: string, timeoutMs: number): StepError {
  const reason = scrub(err.message, host);
  switch (err.level) {
    case 'client-authentication':
      return new StepError('SSH_AUTH', `authentication as ${host.username} on ${where} failed: ${reason}`);
    case 'client-timeout':
      return new StepError('TIMEOUT', `no SSH session with ${where} within ${timeoutMs} ms: ${reason}`);
    default:
      if (err.code === 'ETIMEDOUT') return new StepError('TIMEOUT', `connecting to ${where} timed out`);
      return new StepError(
        'SSH_CONNECT',
        `could not connect to ${where}: ${err.code ? `${SOCKET_REASONS[err.code] ?? reason} (${err.code})` : reason}`,
      );
  }
}

/**
 * Opens an SSH connection with the host key pinned: a key other than `host.host_key` ends the
 * connection during key exchange, before authentication, so no credential is offered and nothing
 * runs on that host. With no pin yet the observed key is accepted and returned for the platform to
 * pin.
 */
export async function connectHost(host: HostAccess, opts: ConnectOptions = {}): Promise<Connection> {
  if (host.jump) return connectThrough(host, host.jump, opts);
  const address = await dialableAddress(host.address, 'SSH_CONNECT');
  return connectTo(address === host.address ? host : { ...host, address }, opts);
}

/** Which hop of a connection through a jump host failed, on the StepError's detail. */
const onHop = (e: unknown, hop: 'jump' | 'target', host: HostAccess, prefix = ''): StepError => {
  const err = e instanceof StepError ? e : new StepError('SSH_CONNECT', String((e as Error).message));
  return new StepError(err.code, `${prefix}${err.message}`, {
    ...err.extra,
    detail: { ...(err.extra.detail ?? {}), hop, hop_host_id: host.id },
  });
};

/**
 * One hop: the jump host's own pinned key and login, then a direct-tcpip channel (`forwardOut`)
 * to the target, over which the target's SSH session runs with its own pinned key and login. The
 * jump host resolves the target's name inside its network; a literal link-local or metadata
 * address is still refused. Closing the target's connection closes the jump's.
 */
async function connectThrough(host: HostAccess, jump: HostAccess, opts: ConnectOptions): Promise<Connection> {
  const target = { ...host, jump: undefined };
  const refused = refusedHost(host.address.replace(/^\[|\]$/g, '').toLowerCase());
  if (refused) throw onHop(new StepError('SSH_CONNECT', `${host.address} ${refused}`), 'target', host);
  if (jump.host_key === null)
    throw onHop(
      new StepError('HOST_KEY_MISMATCH', `jump host ${jump.name} has no pinned host key: test it first`),
      'jump',
      jump,
    );
  let hop: Connected;
  try {
    const address = await dialableAddress(jump.address, 'SSH_CONNECT');
    hop = await connectTo({ ...jump, address }, opts);
  } catch (e) {
    throw onHop(e, 'jump', jump, `via jump host ${jump.name}: `);
  }
  try {
    const sock = await new Promise<Duplex>((resolve, reject) =>
      hop.client.forwardOut('127.0.0.1', 0, host.address, host.port, (err, stream) =>
        err
          ? reject(
              new StepError(
                'SSH_CONNECT',
                `jump host ${jump.name} could not reach ${host.address}:${host.port}: ${err.message}`,
              ),
            )
          : resolve(stream),
      ),
    );
    const conn = await connectTo(target, opts, sock);
    conn.client.once('close', () => void hop.shell.close());
    return conn;
  } catch (e) {
    await hop.shell.close();
    throw onHop(e, 'target', host);
  }
}

type Connected = Connection & { client: ssh2.Client };

function connectTo(host: HostAccess, opts: ConnectOptions, sock?: Duplex): Promise<Connected> {
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const where = `${host.address}:${host.port}`;
  const client = new ssh2.Client();
  let observed: string | null = null;
  let mismatch = false;

  return new Promise<Connected>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (e: StepError) =>
      settle(() => {
        client.end();
        client.destroy();
        reject(e);
      });
    const onAbort = () => fail(new StepError('TIMEOUT', `connecting to ${where} was cancelled`));

    client.on('error', (err: LevelledError) => {
      if (mismatch) {
        fail(
          new StepError(
            'HOST_KEY_MISMATCH',
            `host key of ${host.name} (${where}) changed: expected ${host.host_key}, observed ${observed}; refusing to connect`,
            { detail: { expected_host_key: host.host_key, observed_host_key: observed } },
          ),
        );
      } else {
        fail(mapError(err, host, where, timeoutMs));
      }
    });
    client.on('close', () =>
      fail(new StepError('SSH_CONNECT', `connection to ${where} closed during setup`)),
    );
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      const password = host.auth.kind === 'ssh_password' ? host.auth.password : '';
      finish(prompts.map((p) => (p.echo ? '' : password)));
    });
    client.once('ready', () => {
      // Each command is a few small packets each way; with Nagle's algorithm on, the next one
      // waits for the peer's delayed ACK (40 ms on Linux), which made an exec of `true` take
      // about 50 ms instead of under 10.
      client.setNoDelay(true);
      if (observed === null) {
        return fail(new StepError('SSH_CONNECT', `${where} presented no host key`));
      }
      const key = observed;
      settle(() => resolve({ shell: new SshShell(client, where), observedHostKey: key, client }));
    });

    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      client.connect({
        ...(sock ? { sock } : { host: host.address, port: host.port }),
        username: host.username,
        readyTimeout: timeoutMs,
        keepaliveInterval: opts.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          observed = fingerprintOf(key);
          mismatch = host.host_key !== null && observed !== host.host_key;
          return !mismatch;
        },
        ...authConfig(host),
      });
    } catch (e) {
      // ssh2 parses the key before connecting: a bad key or passphrase fails here.
      fail(
        new StepError(
          'SSH_AUTH',
          `the private key for ${host.name} could not be used: ${scrub((e as Error).message, host)}`,
        ),
      );
    }
  });
}
