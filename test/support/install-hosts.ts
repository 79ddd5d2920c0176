/**
 * Install test hosts: each an sshd in its own network namespace with its own install prefix. The
 * namespaces share the file system, so the prefix is a directory under /etc that `ip netns exec`
 * bind-mounts per namespace from /etc/netns/<ns>/ (the iproute2 convention): every host sees a
 * different directory at the same path, as separate machines would. A host's os-release can be
 * replaced the same way.
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunContext } from '../../runner/jobs/steps';
import type { HostAccess } from '../../shared/jobs/claim';
import type { StepReport } from '../../shared/jobs/kinds';
import { hostAccessFor } from '../peers/host-access';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../peers/netns';
import { peerAvailable } from '../peers/require';
import { type SshPeer, startSshd } from '../peers/sshd';

const run = promisify(execFile);

export const installPeersAvailable = () =>
  peerAvailable(['sshd', 'ssh-keygen', 'ip', 'setsid', 'openssl', 'sha256sum']) && netnsAvailable();

export type TestHost = {
  access: HostAccess;
  /** The host's prefix as the test process sees it. */
  dir: string;
  ns: NetnsHost | null;
  sshd: SshPeer;
};

export type TestHosts = { prefix: string; hosts: TestHost[]; stop(): Promise<void> };

/**
 * One host on loopback with a temp prefix: for daemons that need the machine's cgroup mounts,
 * which `ip netns exec` hides by mounting a fresh /sys.
 */
export async function startLoopbackHost(): Promise<TestHosts> {
  // Short: the engine's containerd socket lives several levels below it.
  const prefix = mkdtempSync('/tmp/km-');
  const sshd = await startSshd().catch((e) => {
    rmSync(prefix, { recursive: true, force: true });
    throw e;
  });
  const access = hostAccessFor(sshd, { id: 'host-loopback' });
  return {
    prefix,
    hosts: [{ access, dir: prefix, ns: null, sshd }],
    async stop() {
      killDaemons(prefix);
      await sshd.stop();
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** Every file and directory under `dir`, relative, sorted: what "as it was" is compared by. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(join(d, name), { throwIfNoEntry: false });
      out.push(`${r}${st?.isDirectory() ? '/' : ''}`);
      if (st?.isDirectory()) walk(join(d, name), r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Daemons the installs left running (found by their pidfiles under the prefix): stopped by pid. */
export function killDaemons(dir: string) {
  for (const f of listing(dir).filter((p) => p.endsWith('.pid'))) {
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function startHosts(
  indexes: number[],
  opts: { osRelease?: (i: number) => string | undefined } = {},
): Promise<TestHosts> {
  const mount = `k8sm-inst-${process.pid}-${indexes[0]}`;
  const prefix = `/etc/${mount}`;
  const createdNetnsDir = (() => {
    try {
      statSync('/etc/netns');
      return false;
    } catch {
      return true;
    }
  })();
  mkdirSync(prefix, { recursive: true });
  const hosts: TestHost[] = [];
  const stop = async () => {
    for (const h of hosts) {
      killDaemons(h.dir);
      await h.sshd.stop();
      await h.ns?.destroy();
      if (h.ns) rmSync(join('/etc/netns', h.ns.name), { recursive: true, force: true });
    }
    rmSync(prefix, { recursive: true, force: true });
    if (createdNetnsDir) {
      try {
        rmdirSync('/etc/netns');
      } catch {
        // another test file's hosts still use it
      }
    }
  };
  try {
    for (const [i, index] of indexes.entries()) {
      const ns = await createNetnsHost(index);
      const etc = join('/etc/netns', ns.name);
      const dir = join(etc, mount);
      mkdirSync(dir, { recursive: true });
      const osRelease = opts.osRelease?.(i);
      if (osRelease) writeFileSync(join(etc, 'os-release'), osRelease);
      const sshd = await startSshd({ netns: ns.name, address: ns.address }).catch(async (e) => {
        await ns.destroy();
        throw e;
      });
      hosts.push({ access: hostAccessFor(sshd, { id: `host-${index}` }), dir, ns, sshd });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { prefix, hosts, stop };
}

export type Recorder = { ctx: RunContext; steps: StepReport[]; controller: AbortController };

export function recorder(attempt = 1, onStep?: (s: StepReport, r: Recorder) => void): Recorder {
  const controller = new AbortController();
  const r: Recorder = {
    steps: [],
    controller,
    ctx: {
      attempt,
      signal: controller.signal,
      steps: {
        report: (s) => {
          r.steps.push(s);
          onStep?.(s, r);
        },
      },
    },
  };
  return r;
}

/** The final status of each step name (the last report wins). */
export const finalStatus = (steps: StepReport[]) =>
  Object.fromEntries(steps.filter((s) => s.status !== 'running').map((s) => [s.name, s.status]));

export const sh = (file: string, args: string[]) => run(file, args, { timeout: 30_000 });
