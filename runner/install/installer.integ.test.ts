import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import { INSTALL_STEPS, type InstallWork } from '../../shared/install/work';
import {
  finalStatus,
  installPeersAvailable,
  listing,
  pidAlive,
  recorder,
  sh,
  startHosts,
  type TestHosts,
} from '../../test/support/install-hosts';
import { connectHost } from '../ssh/executor';
import { runInstall } from './installer';
import type { InstallConnect } from './types';

const available = installPeersAvailable();
const connect: InstallConnect = (h) => connectHost(h);

describe.skipIf(!available)('install: synthetic compose bundle over SSH', () => {
  let t: TestHosts;
  let work: InstallWork;

  beforeAll(async () => {
    t = await startHosts([60, 61, 62]);
    const bundle = findBundle(await loadManifest(), 'compose', '24.0.7-synth')!;
    work = {
      kind: 'environment_install',
      install: {
        task_id: 't1',
        environment_id: 'e1',
        action: 'install',
        runtime: 'compose',
        version: bundle.version,
        host_ids: t.hosts.map((h) => h.access.id),
        options: { prefix: t.prefix, parallelism: 5, lvs_vip: null, roles: null },
      },
      bundle,
      hosts: t.hosts.map((h) => h.access),
    };
  }, 120_000);
  afterAll(() => t?.stop());

  const on = (ids: number[], over: Partial<InstallWork['install']> = {}): InstallWork => ({
    ...work,
    install: { ...work.install, host_ids: ids.map((i) => t.hosts[i]!.access.id), ...over },
  });
  const names = (host: string) => INSTALL_STEPS.map((s) => `install.${s}.${host}`);

  it('installs, is a no-op the second time, and uninstalls back to the listing before', async () => {
    const h = t.hosts[0]!;
    const before = listing(h.dir);
    const r = recorder();
    const done = await runInstall(on([0]), r.ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    expect(Object.keys(finalStatus(r.steps))).toEqual(names(h.access.id));
    expect(Object.values(finalStatus(r.steps)).every((s) => s === 'succeeded')).toBe(true);
    expect(r.steps.every((s) => s.host_id === h.access.id)).toBe(true);
    const preflight = r.steps.find((s) => s.name.startsWith('install.preflight') && s.status === 'succeeded');
    expect(preflight?.observed_host_key).toBe(h.sshd.hostKeyFingerprint);

    const hostResult = (done.result as { hosts: Record<string, unknown>[] }).hosts[0]!;
    expect(hostResult).toMatchObject({
      status: 'succeeded',
      already: false,
      arch: 'amd64',
      distribution: 'debian-12',
    });
    expect(['v1', 'v2']).toContain(hostResult.compose);
    expect(hostResult.endpoint).toBe(`unix://${t.prefix}/run/docker.sock`);
    expect(readFileSync(join(h.dir, 'usr/local/bin/dockerd'), 'utf8')).toContain('Stand-in for dockerd');
    const fp = JSON.parse(readFileSync(join(h.dir, 'etc/k8s-manage/fingerprint.json'), 'utf8'));
    expect(fp).toMatchObject({ runtime: 'compose', version: '24.0.7-synth' });
    expect(fp.files['usr/local/bin/dockerd']).toBe(work.bundle.files[0]!.sha256);
    expect(readFileSync(join(h.dir, 'etc/docker/daemon.json'), 'utf8')).toContain(
      `"${t.prefix}/var/lib/docker"`,
    );
    const pid = Number(readFileSync(join(h.dir, 'run/docker.pid'), 'utf8'));
    expect(pidAlive(pid)).toBe(true);
    // The socket path as the test process sees this host's prefix.
    const info = await sh(join(h.dir, 'usr/local/bin/docker'), [
      '-H',
      `unix://${h.dir}/run/docker.sock`,
      'info',
    ]);
    expect(info.stdout).toContain('Server Version: 24.0.7-synth');

    const again = recorder();
    const second = await runInstall(on([0]), again.ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(second.status).toBe('succeeded');
    expect((second.result as { hosts: { already: boolean }[] }).hosts[0]!.already).toBe(true);
    const st = finalStatus(again.steps);
    expect(st[`install.preflight.${h.access.id}`]).toBe('succeeded');
    expect(
      names(h.access.id)
        .slice(1)
        .map((n) => st[n]),
    ).toEqual(Array(7).fill('skipped'));

    const un = recorder();
    const removed = await runInstall(on([0], { action: 'uninstall' }), un.ctx, connect, {
      bundleDir: SCRIPT_DIR,
    });
    expect(removed.status, JSON.stringify(removed.diagnostics)).toBe('succeeded');
    expect(pidAlive(pid)).toBe(false);
    expect(listing(h.dir)).toEqual(before);
  });

  it('stops at upload with CHECKSUM_MISMATCH when the runner holds a tampered file, host untouched', async () => {
    const h = t.hosts[1]!;
    const before = listing(h.dir);
    const copy = mkdtempSync(join(tmpdir(), 'bundle-tampered-'));
    try {
      cpSync(SCRIPT_DIR, copy, { recursive: true, filter: (src) => !src.includes('/real') });
      writeFileSync(join(copy, 'bin/linux-amd64/dockerd-24.0.7-synth'), '#!/bin/sh\necho pwned\n');
      const r = recorder();
      const done = await runInstall(on([1]), r.ctx, connect, { bundleDir: copy });
      expect(done.status).toBe('failed');
      expect(done.error_code).toBe('CHECKSUM_MISMATCH');
      const failed = r.steps.find((s) => s.status === 'failed')!;
      expect(failed.name).toBe(`install.upload.${h.access.id}`);
      expect(failed.detail?.message).toContain('dockerd-24.0.7-synth');
      expect(listing(h.dir)).toEqual(before);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('fails verify with CHECKSUM_MISMATCH when a file arrives changed, and installs nothing', async () => {
    const h = t.hosts[1]!;
    const before = listing(h.dir);
    const corrupting: InstallConnect = async (host) => {
      const c = await connectHost(host);
      const shell = c.shell;
      const uploadFile = shell.uploadFile.bind(shell);
      shell.uploadFile = async (local, remote, o) => {
        await uploadFile(local, remote, o);
        if (remote.endsWith('/docker-24.0.7-synth'))
          await shell.upload('#!/bin/sh\n', remote, { mode: 0o755 });
      };
      return c;
    };
    const r = recorder();
    const done = await runInstall(on([1]), r.ctx, corrupting, { bundleDir: SCRIPT_DIR });
    expect(done.error_code).toBe('CHECKSUM_MISMATCH');
    expect(r.steps.find((s) => s.status === 'failed')?.name).toBe(`install.verify.${h.access.id}`);
    expect(existsSync(join(h.dir, 'usr'))).toBe(false);
    expect(r.steps.some((s) => s.name.startsWith('install.install.'))).toBe(false);
    // Uninstall takes away the uploaded bundle and the state directories too.
    const un = await runInstall(on([1], { action: 'uninstall' }), recorder().ctx, connect, {
      bundleDir: SCRIPT_DIR,
    });
    expect(un.status).toBe('succeeded');
    expect(listing(h.dir)).toEqual(before);
  });

  it('resumes a stopped job at the step after the last one done (attempt 2)', async () => {
    const h = t.hosts[2]!;
    const before = listing(h.dir);
    const first = recorder(1, (s, r) => {
      if (s.name === `install.install.${h.access.id}` && s.status === 'succeeded') r.controller.abort();
    });
    const stopped = await runInstall(on([2]), first.ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(stopped.status).toBe('failed');
    expect(existsSync(join(h.dir, 'run/docker.pid'))).toBe(false);

    const second = recorder(2);
    const done = await runInstall(on([2]), second.ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    const st = finalStatus(second.steps);
    expect(names(h.access.id).map((n) => st[n])).toEqual([
      'succeeded',
      'skipped',
      'skipped',
      'skipped',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(second.steps.every((s) => s.attempt === 2)).toBe(true);
    expect(pidAlive(Number(readFileSync(join(h.dir, 'run/docker.pid'), 'utf8')))).toBe(true);
    expect(existsSync(join(h.dir, 'etc/k8s-manage/fingerprint.json'))).toBe(true);
    await runInstall(on([2], { action: 'uninstall' }), recorder().ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(listing(h.dir)).toEqual(before);
  });

  it('fails preflight with PREFLIGHT_ARCH or PREFLIGHT_PORT before anything changes', async () => {
    const h = t.hosts[0]!;
    const before = listing(h.dir);
    const arm = {
      ...work.bundle,
      platforms: [{ os: 'linux' as const, arch: 'arm64' as const, distributions: ['debian-12'] }],
    };
    const a = await runInstall({ ...on([0]), bundle: arm }, recorder().ctx, connect, {
      bundleDir: SCRIPT_DIR,
    });
    expect(a.error_code).toBe('PREFLIGHT_ARCH');
    const busy = { ...work.bundle, ports: [h.sshd.port] };
    const p = await runInstall({ ...on([0]), bundle: busy }, recorder().ctx, connect, {
      bundleDir: SCRIPT_DIR,
    });
    expect(p.error_code).toBe('PREFLIGHT_PORT');
    expect(listing(h.dir)).toEqual(before);
  });

  it('installs at most `parallelism` hosts at once', async () => {
    const r = recorder();
    const done = await runInstall(
      on([0, 1, 2], { options: { ...work.install.options, parallelism: 1 } }),
      r.ctx,
      connect,
      {
        bundleDir: SCRIPT_DIR,
      },
    );
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    const spans = t.hosts.map((h) => {
      const own = r.steps.filter((s) => s.host_id === h.access.id);
      return [Date.parse(own[0]!.started_at!), Date.parse(own.at(-1)!.finished_at!)] as const;
    });
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    const un = await runInstall(on([0, 1, 2], { action: 'uninstall' }), recorder().ctx, connect, {
      bundleDir: SCRIPT_DIR,
    });
    expect(un.status).toBe('succeeded');
    for (const h of t.hosts) expect(listing(h.dir)).toEqual([]);
    // Three installs one after another and an uninstall: ordering is asserted, not speed.
  }, 150_000);
});
