/**
 * A real OpenSSH server for tests: its own temp dir, host key, client key and config, listening on
 * one address (loopback by default, or a test namespace's address), logging in as root with the
 * generated client key only. Password login stays off: enabling it would need a password on a real
 * account of the machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { registerSecret } from '../support/leak-guard';
import { alive, halt, stopProcess } from './process-tree';
import { requireBinary } from './require';

const run = promisify(execFile);

export type SshPeer = {
  address: string;
  port: number;
  username: string;
  /** OpenSSH PEM of the generated ed25519 client key. */
  privateKey: string;
  /** As `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** Restarts sshd on the same port with a new host key; returns the new fingerprint. */
  rotateHostKey(): Promise<string>;
  stop(): Promise<void>;
};

export type SshdOptions = {
  netns?: string;
  address?: string;
  setEnv?: Record<string, string>;
  /** The address is reachable from inside the namespace only (its loopback, say): probe it there. */
  probeInNetns?: boolean;
};

const START_TIMEOUT_MS = 10_000;

async function newKey(keygen: string, path: string, comment: string): Promise<void> {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  await run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { timeout: 10_000 });
}

async function fingerprintFile(keygen: string, pubPath: string): Promise<string> {
  const { stdout } = await run(keygen, ['-lf', pubPath], { timeout: 10_000 });
  const m = stdout.match(/SHA256:[A-Za-z0-9+/]{43}/);
  if (!m) throw new Error(`ssh-keygen printed no fingerprint: ${stdout.slice(0, 200)}`);
  return m[0];
}

function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** True when the port answers with an SSH banner. */
function answersSsh(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: address, port });
    let seen = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('data', (d) => {
      seen += d.toString('latin1');
      if (seen.includes('\n')) done(seen.startsWith('SSH-2.0-'));
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

/** answersSsh from inside a namespace: bash's /dev/tcp there reads the banner's first bytes. */
async function answersSshIn(ip: string, netns: string, address: string, port: number): Promise<boolean> {
  const probe = `exec 3<>/dev/tcp/${address}/${port} && head -c 8 <&3`;
  try {
    const { stdout } = await promisify(execFile)(ip, [
      'netns',
      'exec',
      netns,
      'timeout',
      '2',
      'bash',
      '-c',
      probe,
    ]);
    return stdout.startsWith('SSH-2.0-');
  } catch {
    return false;
  }
}

function configText(dir: string, address: string, port: number, setEnv: Record<string, string>): string {
  // One SetEnv line: OpenSSH applies only the first SetEnv line it reads. HOME is the peer's own:
  // bash started by sshd reads ~/.bashrc even for `bash -c`, and a test machine's root dotfiles
  // (version-manager init, say) then run before every command — seconds each under load — which
  // is that machine's shell, not the host the test stands for.
  const all = { HOME: join(dir, 'home'), ...setEnv };
  const env = Object.entries(all).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /["\\\n\r]/.test(v))
      throw new Error(`unusable SetEnv entry ${k}`);
    return `"${k}=${v}"`;
  });
  return [
    `ListenAddress ${address}`,
    `Port ${port}`,
    `HostKey "${join(dir, 'host_key')}"`,
    `AuthorizedKeysFile "${join(dir, 'authorized_keys')}"`,
    `PidFile "${join(dir, 'sshd.pid')}"`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    ...(env.length ? [`SetEnv ${env.join(' ')}`] : []),
    '',
  ].join('\n');
}

export async function startSshd(opts: SshdOptions = {}): Promise<SshPeer> {
  const sshd = requireBinary('sshd');
  const keygen = requireBinary('ssh-keygen');
  const ip = opts.netns ? requireBinary('ip') : null;
  const address = opts.address ?? '127.0.0.1';
  // The privilege separation directory sshd refuses to start without.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sshd-peer-'));
  const config = join(dir, 'sshd_config');
  mkdirSync(join(dir, 'home'), { mode: 0o700 });

  async function launch(port: number): Promise<{ child?: ChildProcess; portInUse: boolean; log: string }> {
    writeFileSync(config, configText(dir, address, port, opts.setEnv ?? {}));
    const args = ['-D', '-e', '-f', config];
    const child =
      ip && opts.netns
        ? spawn(ip, ['netns', 'exec', opts.netns, sshd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(sshd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.on('error', (e) => {
      log += `\n${e.message}`;
    });
    child.stderr?.on('data', (d) => {
      log = (log + d.toString()).slice(-4000);
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && alive(child)) {
      const answers =
        ip && opts.netns && opts.probeInNetns
          ? await answersSshIn(ip, opts.netns, address, port)
          : await answersSsh(address, port, 1000);
      if (answers) {
        // A server of someone else's on a just-taken port answers too; ours would have exited.
        await sleep(100);
        if (alive(child)) return { child, portInUse: false, log };
        break;
      }
      await sleep(50);
    }
    await stopProcess(child);
    return { portInUse: /already in use/i.test(log), log };
  }

  async function launchWithRetry(fixedPort?: number): Promise<{ child: ChildProcess; port: number }> {
    let last = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      // A fresh namespace has every port free; on a shared address ask the kernel for one.
      const port =
        fixedPort ?? (opts.netns ? 20_000 + Math.floor(Math.random() * 40_000) : await freePort(address));
      const r = await launch(port);
      if (r.child) return { child: r.child, port };
      last = r.log.trim();
      if (!r.portInUse) break;
      await sleep(100 * (attempt + 1));
    }
    throw new Error(`sshd did not start on ${address}: ${last.slice(-1000)}`);
  }

  try {
    await newKey(keygen, join(dir, 'client_key'), 'test-client');
    copyFileSync(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
    await newKey(keygen, join(dir, 'host_key'), 'test-host');
    const privateKey = registerSecret(readFileSync(join(dir, 'client_key'), 'utf8'));
    const hostKeyFingerprint = await fingerprintFile(keygen, join(dir, 'host_key.pub'));
    let { child, port } = await launchWithRetry();
    let stopped = false;

    const peer: SshPeer = {
      address,
      port,
      username: 'root',
      privateKey,
      hostKeyFingerprint,
      async rotateHostKey() {
        await halt(child);
        await newKey(keygen, join(dir, 'host_key'), 'test-host');
        peer.hostKeyFingerprint = await fingerprintFile(keygen, join(dir, 'host_key.pub'));
        ({ child, port } = await launchWithRetry(port));
        return peer.hostKeyFingerprint;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await halt(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return peer;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
