/**
 * The REAL compose engine: Debian's own docker.io/containerd/runc/tini packages, built into a copy
 * of the bundle by the same code as `npm run bundle:build` (apt-get download + dpkg-deb -x), then
 * installed into a prefix on an SSH test host (on loopback: the engine needs the machine's cgroups),
 * started on its own socket and data root, asked `docker info`, and given a compose release over
 * SSH with the host's `docker-compose` v1: the 0 → 1 promise, end to end. Outside CI it skips where
 * apt cannot download the packages.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import type { InstallWork } from '../../shared/install/work';
import { hostAccessFor } from '../../test/peers/host-access';
import { pushBusyboxImage } from '../../test/peers/images';
import { type RegistryPeer, startRegistry } from '../../test/peers/registry';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import {
  composeFile,
  finalSteps,
  hostId,
  recorder as releaseRecorder,
  work as releaseWork,
  webService,
} from '../../test/support/compose';
import {
  listing,
  pidAlive,
  recorder,
  startLoopbackHost,
  type TestHosts,
} from '../../test/support/install-hosts';
import { applyCompose } from '../compose/adapter';
import { composeDir, composeFile as composePath } from '../compose/commands';
import { connectHost } from '../ssh/executor';
import { runInstall } from './installer';
import type { InstallConnect } from './types';

const run = promisify(execFile);
const connect: InstallConnect = (h) => connectHost(h);
const VERSION = '20.10.24-deb12';
// Its own name: the engine is new, but the runner's files land in root's home, shared with others.
const PROJECT = `realengine-${process.pid}`;
const LABEL = `label=com.docker.compose.project=${PROJECT}`;

/** A copy of script/ with the real engine built into it: the checkout stays as it is. */
async function builtCopy(): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-real-'));
  cpSync(SCRIPT_DIR, dir, { recursive: true, filter: (src) => !src.includes('/real') });
  try {
    await build('compose', VERSION, dir);
    return dir;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI === 'true') throw e;
    return null;
  }
}

const available = peerAvailable([
  'sshd',
  'ssh-keygen',
  'setsid',
  'sha256sum',
  'apt-get',
  'dpkg-deb',
  // The release half: the host's compose v1, and a registry fed by the installed engine.
  'docker',
  'docker-compose',
  'docker-registry',
  'busybox',
  'ip',
]);

describe.skipIf(!available)(
  'install: the real Debian-packaged compose engine into a prefix, then a compose release on it (REAL ENGINE)',
  () => {
    let t: TestHosts;
    let dir: string | null = null;
    let registry: RegistryPeer | undefined;
    /** The same machine as the install host, its sessions pointed at the installed engine. */
    let releaseSshd: SshPeer | undefined;
    /** Bridges the project's networks made: they would outlive a killed engine on the machine. */
    const bridges = new Set<string>();
    const ownHomeDirs: string[] = [];

    const docker = () => join(t.prefix, 'usr/local/bin/docker');
    const sock = () => `unix://${t.prefix}/run/docker.sock`;
    const engine = (args: string[]) => run(docker(), ['-H', sock(), ...args], { timeout: 30_000 });
    const ids = async (args: string[]) => (await engine(args)).stdout.split('\n').filter(Boolean);

    beforeAll(async () => {
      dir = await builtCopy();
      t = await startLoopbackHost();
      registry = await startRegistry();
      releaseSshd = await startSshd({ setEnv: { DOCKER_HOST: sock() } });
    }, 300_000);
    afterAll(async () => {
      // A failed run may leave the project up: take it down while the engine still answers, since
      // the teardown below kills daemons by pid and containers would keep their shims and mounts.
      if (t && existsSync(join(t.prefix, 'run/docker.sock'))) {
        const containers = await ids(['ps', '-aq', '--filter', LABEL]).catch(() => []);
        if (containers.length) await engine(['rm', '-f', ...containers]).catch(() => null);
        const networks = await ids(['network', 'ls', '-q', '--no-trunc', '--filter', LABEL]).catch(() => []);
        for (const id of networks) bridges.add(`br-${id.slice(0, 12)}`);
        if (networks.length) await engine(['network', 'rm', ...networks]).catch(() => null);
      }
      for (const br of bridges)
        if (existsSync(`/sys/class/net/${br}`)) await run('ip', ['link', 'delete', br]).catch(() => null);
      rmSync(join(homedir(), composeDir(PROJECT)), { recursive: true, force: true });
      for (const d of ownHomeDirs) {
        try {
          rmdirSync(d);
        } catch {
          // another test's project landed there meanwhile
        }
      }
      await releaseSshd?.stop();
      await registry?.stop();
      await t?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('installs, answers docker info, lands a compose release, and uninstalls back to nothing', async (ctx) => {
      if (!dir) return ctx.skip();
      const h = t.hosts[0]!;
      const before = listing(h.dir);
      const bundle = findBundle(await loadManifest(dir), 'compose', VERSION)!;
      // The build records what Debian ships today; a security update there changes the package
      // versions, not what this test proves, so the committed entry is not compared here
      // (`npm run bundle:verify` checks committed entries against their files).
      const work: InstallWork = {
        kind: 'environment_install',
        install: {
          task_id: 't3',
          environment_id: 'e3',
          action: 'install',
          runtime: 'compose',
          version: VERSION,
          host_ids: [h.access.id],
          options: { prefix: t.prefix, parallelism: 1, lvs_vip: null, roles: null },
        },
        bundle,
        hosts: [h.access],
      };
      const done = await runInstall(work, recorder().ctx, connect, { bundleDir: dir });
      const log = () => readFileSync(join(h.dir, 'var/log/k8s-manage/dockerd.log'), 'utf8').slice(-3000);
      expect(
        done.status,
        `${JSON.stringify(done.diagnostics)}\n${done.status === 'failed' ? log() : ''}`,
      ).toBe('succeeded');
      const pid = Number(readFileSync(join(h.dir, 'run/docker.pid'), 'utf8'));
      expect(pidAlive(pid)).toBe(true);
      const info = await engine(['info', '--format', '{{.ServerVersion}} {{.DockerRootDir}}']);
      expect(info.stdout.trim()).toMatch(/^20\.10\.\d+\S* /);
      expect(info.stdout.trim().endsWith(` ${t.prefix}/var/lib/docker`)).toBe(true);

      // The release: an image the installed engine itself imported and pushed, pulled back by it.
      const [image] = await pushBusyboxImage(sock(), registry!.address, 'web', ['v1']);
      for (const d of [join(homedir(), '.k8s-manage/compose'), join(homedir(), '.k8s-manage')])
        if (!existsSync(d)) ownHomeDirs.push(d);
      const host = hostAccessFor(releaseSshd!, { id: hostId(1) });
      const rec = releaseRecorder();
      const released = await applyCompose(
        releaseWork(PROJECT, composeFile({ web: webService(image!) }), [host]),
        rec.ctx,
        (a) => connectHost(a),
        { waitTimeoutMs: 30_000, pollMs: 300 },
      );
      expect(
        released.status,
        `${JSON.stringify(released.diagnostics)}\n${released.status === 'failed' ? log() : ''}`,
      ).toBe('succeeded');
      expect(finalSteps(rec.reports).every((s) => s.status === 'succeeded')).toBe(true);
      // The host's v1 tool, unless a `docker compose` plugin there takes precedence, as it would.
      const dialect = await run('docker', ['compose', 'version']).then(
        () => 'v2',
        () => 'v1',
      );
      expect(released.result).toEqual({ hosts: [{ host_id: host.id, compose: dialect }] });
      expect((await ids(['ps', '--filter', LABEL, '--format', '{{.Image}} {{.Status}}'])).join('\n')).toMatch(
        new RegExp(`^${image!.replace(/[.]/g, '\\.')} Up .*\\(healthy\\)$`),
      );
      // `--bridge=none` drops only the engine's default bridge: with no `--default-address-pool`
      // the project's own network comes from the built-in pools, as a real bridge of the machine.
      const networks = await ids([
        'network',
        'ls',
        '--no-trunc',
        '--filter',
        LABEL,
        '--format',
        '{{.ID}} {{.Name}} {{.Driver}}',
      ]);
      expect(networks.map((n) => n.split(' ').slice(1).join(' '))).toEqual([`${PROJECT}_default bridge`]);
      for (const n of networks) bridges.add(`br-${n.slice(0, 12)}`);
      expect([...bridges].every((br) => existsSync(`/sys/class/net/${br}`))).toBe(true);

      // Down over the same SSH path the release took, so uninstall finds only what install made.
      const conn = await connectHost(host);
      try {
        const down = await conn.shell.exec(
          ['docker-compose', '-p', PROJECT, '-f', composePath(PROJECT), 'down', '--timeout', '5'],
          { timeoutMs: 60_000 },
        );
        expect(down.code, down.stderr).toBe(0);
      } finally {
        await conn.shell.close();
      }
      expect(await ids(['ps', '-aq', '--filter', LABEL])).toEqual([]);
      expect(await ids(['network', 'ls', '-q', '--filter', LABEL])).toEqual([]);
      expect([...bridges].filter((br) => existsSync(`/sys/class/net/${br}`))).toEqual([]);

      const un = await runInstall(
        { ...work, install: { ...work.install, action: 'uninstall' } },
        recorder().ctx,
        connect,
        {
          bundleDir: dir,
        },
      );
      expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
      expect(pidAlive(pid)).toBe(false);
      // The data root (images, containers, networks' state) was a tree the install made: gone too.
      expect(listing(h.dir)).toEqual(before);
    }, 300_000);
  },
);
