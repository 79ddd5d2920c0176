/**
 * The REAL compose engine: Debian's own docker.io/containerd/runc/tini packages, built into a copy
 * of the bundle by the same code as `npm run bundle:build` (apt-get download + dpkg-deb -x), then
 * installed into a prefix on an SSH test host (on loopback: the engine needs the machine's cgroups), started on its own socket and data root, and asked
 * `docker info`. Outside CI it skips where apt cannot download the packages.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import type { InstallWork } from '../../shared/install/work';
import { peerAvailable } from '../../test/peers/require';
import { connectHost } from '../ssh/executor';
import { type InstallConnect, runInstall } from './installer';
import { listing, pidAlive, recorder, startLoopbackHost, type TestHosts } from './test-hosts';

const run = promisify(execFile);
const connect: InstallConnect = (h) => connectHost(h);
const VERSION = '20.10.24-deb12';

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

const available = peerAvailable(['sshd', 'ssh-keygen', 'setsid', 'sha256sum', 'apt-get', 'dpkg-deb']);

describe.skipIf(!available)(
  'install: the real Debian-packaged compose engine into a prefix (REAL ENGINE)',
  () => {
    let t: TestHosts;
    let dir: string | null = null;

    beforeAll(async () => {
      dir = await builtCopy();
      t = await startLoopbackHost();
    }, 300_000);
    afterAll(async () => {
      await t?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('installs, answers docker info on its own socket, and uninstalls back to nothing', async (ctx) => {
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
          options: { prefix: t.prefix, parallelism: 1, lvs_vip: null },
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
      const docker = join(h.dir, 'usr/local/bin/docker');
      const sock = `unix://${h.dir}/run/docker.sock`;
      const info = await run(
        docker,
        ['-H', sock, 'info', '--format', '{{.ServerVersion}} {{.DockerRootDir}}'],
        {
          timeout: 30_000,
        },
      );
      expect(info.stdout.trim()).toMatch(/^20\.10\.\d+\S* /);
      expect(info.stdout.trim().endsWith(` ${t.prefix}/var/lib/docker`)).toBe(true);

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
      expect(listing(h.dir)).toEqual(before);
    }, 300_000);
  },
);
