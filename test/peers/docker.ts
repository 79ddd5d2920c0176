/**
 * A Docker engine of a test's own: `dockerd` on a socket in a fresh directory, with the vfs storage
 * driver (works in any file system, no kernel overlay needed), no default bridge and no iptables,
 * so several engines run side by side without touching the machine's networking.
 *
 * containerd: dockerd starts and supervises its own (socket under its exec root) unless a system
 * containerd answers at the default socket, in which case it would use that one. Each engine gets
 * its own containerd namespaces too, so two engines never see each other's containers either way.
 *
 * dockerd runs under docker-init (tini) as a subreaper: containerd's shims detach from their parent,
 * and without a subreaper they end as zombies of a PID 1 that may never reap them. tini also passes
 * SIGTERM on to dockerd, and sends itself SIGTERM if the test process dies first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive, must, run, startDaemon, stopProcess, waitFor } from './proc';
import { requireBinary, which } from './require';

export type DockerEngine = {
  /** `unix://…/docker.sock`, for DOCKER_HOST or `docker -H`. */
  host: string;
  socket: string;
  dir: string;
  stop(): Promise<void>;
};

/** The environment a child process needs to talk to this engine. */
export const dockerEnv = (host: string): Record<string, string> => ({ DOCKER_HOST: host });

/**
 * Short on purpose: the longest socket under it (`exec/containerd/containerd.sock.ttrpc`) must stay
 * within the ~107 bytes a unix socket path may have.
 */
const baseDir = () => (existsSync('/tmp') ? '/tmp' : (process.env.TMPDIR ?? '/tmp'));

/** Mount points under `dir` (network namespaces, a killed engine's leftovers), deepest first. */
function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines
    .map((l) => l.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** The non-empty lines a command prints; none if it fails. */
async function lines(argv: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const r = await run(argv, { env, timeoutMs: 10_000 }).catch(() => null);
  return r?.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

async function stopPid(pid: number) {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export async function startDockerEngine(opts: { insecureRegistries?: string[] } = {}): Promise<DockerEngine> {
  const dockerd = requireBinary('dockerd');
  const init = which('docker-init');
  const dir = mkdtempSync(join(baseDir(), 'dk-'));
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const ns = `k8sm-${randomBytes(4).toString('hex')}`;
  const argv = [
    dockerd,
    '--storage-driver=vfs',
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'pid')}`,
    `--host=${host}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    `--containerd-namespace=${ns}`,
    `--containerd-plugins-namespace=${ns}-plugins`,
    // Containers whose PID 1 ignores SIGTERM would hold the engine's shutdown for 10 s each.
    '--shutdown-timeout=2',
    // Every compose project gets a bridge network, and all engines share the machine's routes: the
    // default pools (31 networks in all) run out with a few engines. 256 networks each, apart.
    `--default-address-pool=base=10.${64 + (randomBytes(1)[0]! % 128)}.0.0/16,size=24`,
    ...(opts.insecureRegistries ?? []).map((r) => `--insecure-registry=${r}`),
  ];
  const child = startDaemon(
    init ? [init, '-s', '-p', 'SIGTERM', '--', ...argv] : argv,
    join(dir, 'dockerd.log'),
  );
  const dockerdPid = () => {
    try {
      return Number(readFileSync(join(dir, 'pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  };
  const env = { ...process.env, ...dockerEnv(host) };
  const containerdPid = () => {
    try {
      return Number(readFileSync(join(dir, 'exec', 'containerd', 'containerd.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const ownContainerd = containerdPid();
    const ownDockerd = dockerdPid();
    // Killing the containers first makes the engine's shutdown quick.
    const ids = await lines(['docker', 'ps', '-aq'], env);
    if (ids.length) await run(['docker', 'rm', '-f', ...ids], { env, timeoutMs: 30_000 }).catch(() => null);
    // A network outlives its engine as a bridge interface of the machine: remove them while it runs.
    const networks = await lines(
      ['docker', 'network', 'ls', '--no-trunc', '-q', '--filter', 'driver=bridge'],
      env,
    );
    await run(['docker', 'network', 'prune', '-f'], { env, timeoutMs: 30_000 }).catch(() => null);
    await stopProcess(child, 20_000);
    for (const id of networks) {
      const bridge = `br-${id.slice(0, 12)}`;
      if (existsSync(`/sys/class/net/${bridge}`))
        await run(['ip', 'link', 'delete', bridge]).catch(() => null);
    }
    // Killing tini would leave dockerd behind, and a killed dockerd its containerd: end what is left.
    for (const pid of [ownDockerd, ownContainerd]) if (pid && pid !== child.pid) await stopPid(pid);
    for (const point of mountsUnder(dir))
      await run(['umount', '-l', point], { timeoutMs: 10_000 }).catch(() => null);
    // vfs layers can hold read-only directories; rm -rf as root handles them where fs.rm may not.
    const rm = await run(['rm', '-rf', dir], { timeoutMs: 60_000 }).catch(() => null);
    if (rm?.code !== 0) rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      'dockerd',
      async () =>
        (await run(['docker', 'info', '--format', '{{.ServerVersion}}'], { env, timeoutMs: 5_000 })).code ===
        0,
      30_000,
      () => child.exitCode !== null,
    );
  } catch (e) {
    const log = existsSync(join(dir, 'dockerd.log')) ? readFileSync(join(dir, 'dockerd.log'), 'utf8') : '';
    await stop();
    throw new Error(`${(e as Error).message}\n${log.split('\n').slice(-20).join('\n')}`);
  }
  return { host, socket, dir, stop };
}

/** The images of the containers of a compose project on this engine, sorted. */
export async function projectImages(host: string, project: string): Promise<string[]> {
  const out = await must(
    ['docker', 'ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Image}}'],
    { env: { ...process.env, ...dockerEnv(host) } },
  );
  return out.split('\n').filter(Boolean).sort();
}
