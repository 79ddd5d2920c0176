/**
 * The VIP task that follows a k8s install (action `vip`). This kernel has no IPVS, so the host here is this machine under a
 * temp prefix (a local shell running the synthetic bundle for real, with keepalived and ipvsadm
 * built from Debian's packages) that answers the IPVS probe and the route lookup as an IPVS host
 * would, and stands in for vip.sh's run mode: keepalived cannot start without IPVS. Its
 * --render-only runs for real, and with it the installed bundle's `keepalived --config-test`; one
 * test asks the real kernel and ends in PREFLIGHT_IPVS. `--stop` runs the real script.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import { INSTALL_STEPS, type InstallWork } from '../../shared/install/work';
import type { HostAccess } from '../../shared/jobs/claim';
import { localShell } from '../../test/peers/local-shell';
import { peerAvailable } from '../../test/peers/require';
import { builtBundle } from '../../test/support/built-bundle';
import { finalStatus, killDaemons, listing, recorder } from '../../test/support/install-hosts';
import type { ExecResult, RemoteShell } from '../ssh/types';
import { runInstall } from './installer';
import { hostPaths } from './paths';
import type { InstallConnect } from './types';
import { parseRoute, VIP_RETRY } from './vip';

const VIP = '198.51.100.200/32';
const KEY = 'SHA256:0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
/** An interface this machine has: keepalived --config-test refuses one the host lacks. */
const IFACE =
  (() => {
    try {
      return parseRoute(execFileSync('ip', ['-o', 'route', 'get', '198.51.100.200'], { encoding: 'utf8' }))
        .iface;
    } catch {
      return null;
    }
  })() ??
  readdirSync('/sys/class/net').find((n) => n !== 'lo') ??
  'eth0';
const ROUTE = (addr: string) => `${addr} via 10.20.0.1 dev ${IFACE} src 10.20.0.5 uid 0 \\    cache \n`;
const retry = { attempts: 3, backoffMs: 150 };

const access = (id: string): HostAccess => ({
  id,
  name: id,
  address: '10.20.0.5',
  port: 22,
  username: 'root',
  host_key: KEY,
  auth: { kind: 'ssh_password', password: 'unused-local-shell' },
});
const cp = access('cp-1');

type Call = { argv: string[]; at: number; stepsBefore: string[] };

/** This machine as a host with IPVS: vip.sh's run mode answers with the next of `codes` (then 0). */
function ipvsHost(home: string) {
  const inner = localShell(home);
  const host = {
    calls: [] as Call[],
    probes: [] as string[][],
    codes: [] as number[],
    steps: [] as string[],
    /** Ask this machine's kernel about IPVS instead. */
    realKernel: false,
    /** What `getconf GNU_LIBC_VERSION` answers instead of this machine's. */
    glibc: null as string | null,
  };
  const done = (code: number, stdout: string, stderr = ''): ExecResult => ({
    code,
    signal: null,
    stdout,
    stderr,
  });
  const shell: RemoteShell = {
    ...inner,
    async exec(argv, opts) {
      if (argv[0] === 'getconf' && host.glibc) return done(0, `${host.glibc}\n`);
      if (argv[0] === 'test' && argv[2] === '/proc/net/ip_vs' && !host.realKernel) {
        host.probes.push(argv);
        return done(0, '');
      }
      if (argv[0] === 'ip' && argv.slice(1, 4).join(' ') === '-o route get') {
        host.probes.push(argv);
        return done(0, ROUTE(argv[4]!));
      }
      if (
        argv[0]?.endsWith('/hooks/k8s/vip.sh') &&
        !argv.includes('--stop') &&
        !argv.includes('--render-only')
      ) {
        host.calls.push({ argv, at: Date.now(), stepsBefore: [...host.steps] });
        const code = host.codes.shift() ?? 0;
        return code === 0
          ? done(0, `keepalived started for ${VIP} on ${IFACE}\n`)
          : done(code, '', code === 3 ? 'error: IPVS is not available\n' : 'error: keepalived exited\n');
      }
      return inner.exec(argv, opts);
    },
  };
  return { host, shell };
}

// The VIP tools are built from Debian's packages: apt-get download, dpkg-deb, objdump.
const available = peerAvailable(['setsid', 'openssl', 'sha256sum', 'apt-get', 'dpkg-deb', 'objdump']);

describe.skipIf(!available)('install: the k8s VIP step', () => {
  let prefix: string;
  /** script/ with the VIP tools built; null where apt cannot download them (outside CI). */
  let built: string | null = null;
  let bundleDir = SCRIPT_DIR;
  let home: string;
  let work: InstallWork;
  let fake: ReturnType<typeof ipvsHost>;
  const connect: InstallConnect = async (h) => {
    if (h.id !== cp.id) throw new Error(`connect ECONNREFUSED ${h.address}:22`);
    return { shell: fake.shell, observedHostKey: KEY };
  };
  const withVip = (vip: string | null, hosts = [cp]): InstallWork => ({
    ...work,
    install: {
      ...work.install,
      host_ids: hosts.map((h) => h.id),
      options: { ...work.install.options, lvs_vip: vip },
    },
    hosts,
  });
  /** A recorder whose step names the fake host sees, so a call knows what ran before it. */
  const rec = (attempt = 1) =>
    recorder(attempt, (s) => {
      if (s.status !== 'running') fake.host.steps.push(`${s.name}:${s.status}`);
    });
  const install = (w: InstallWork, attempt = 1) => {
    fake.host.steps = [];
    const r = rec(attempt);
    return runInstall(w, r.ctx, connect, { bundleDir, vipRetry: retry }).then((done) => ({
      done,
      r,
    }));
  };
  /** The follow-up task the platform queues once the install has succeeded. */
  const vipTask = (w: InstallWork, attempt = 1) =>
    install({ ...w, install: { ...w.install, action: 'vip' } }, attempt);
  const uninstall = () =>
    runInstall(
      { ...withVip(null), install: { ...withVip(null).install, action: 'uninstall' } },
      recorder().ctx,
      connect,
      { bundleDir },
    );
  const names = INSTALL_STEPS.map((s) => `install.${s}.${cp.id}`);
  const vipStep = `vip.vip.${cp.id}`;
  const vipNames = [`vip.preflight.${cp.id}`, `vip.render.${cp.id}`, vipStep];
  const marker = () => join(hostPaths(prefix, work.bundle).steps, 'vip.done');

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'km-vip-home-'));
    built = await builtBundle('k8s', '1.30.2-synth');
    bundleDir = built ?? SCRIPT_DIR;
    // The ports are this machine's, which other tests share: not what is under test here.
    const bundle = { ...findBundle(await loadManifest(bundleDir), 'k8s', '1.30.2-synth')!, ports: [] };
    work = {
      kind: 'environment_install',
      install: {
        task_id: 't-vip',
        environment_id: 'e-vip',
        action: 'install',
        runtime: 'k8s',
        version: bundle.version,
        host_ids: [cp.id],
        options: { prefix: '/', parallelism: 5, lvs_vip: null, roles: null },
      },
      bundle,
      hosts: [cp],
    };
  }, 600_000);
  // A fresh host for each test: one uninstall (in the test that sets a VIP) is enough here.
  beforeEach(() => {
    prefix = mkdtempSync('/tmp/km-vip-');
    work = { ...work, install: { ...work.install, options: { ...work.install.options, prefix } } };
    fake = ipvsHost(home);
  });
  afterEach(() => {
    killDaemons(prefix);
    rmSync(prefix, { recursive: true, force: true });
  });
  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs nothing VIP-related without lvs_vip, and refuses a malformed VIP before anything changes', async () => {
    const before = listing(prefix);
    const bad = await install(withVip('198.51.100.200'));
    expect(bad.done.error_code).toBe('VALIDATION_FAILED');
    expect(listing(prefix)).toEqual(before);

    const { done, r } = await install(withVip(null));
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    expect(done.diagnostics).not.toHaveProperty('vip_tools');
    expect(Object.keys(finalStatus(r.steps))).toEqual(names);
    expect(fake.host.probes).toEqual([]);
    expect(fake.host.calls).toEqual([]);
    expect(existsSync(marker())).toBe(false);
  });

  it('runs the VIP task after the install: render, then vip.sh; a retried task skips both', async ({
    skip,
  }) => {
    if (!built) return skip('the VIP tools could not be built here');
    const before = listing(prefix);
    const installed = await install(withVip(VIP));
    expect(installed.done.status, JSON.stringify(installed.done.diagnostics)).toBe('succeeded');
    expect((installed.done.result as { admin_kubeconfig?: string }).admin_kubeconfig).toContain(
      'server: https://',
    );
    // The install probes nothing of the VIP and runs no VIP step: the task that follows does.
    expect(Object.keys(finalStatus(installed.r.steps))).toEqual(names);
    expect(fake.host.probes).toEqual([]);

    const { done, r } = await vipTask(withVip(VIP));
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    expect(done.result).not.toHaveProperty('admin_kubeconfig');
    expect(Object.keys(finalStatus(r.steps))).toEqual(vipNames);
    expect(Object.values(finalStatus(r.steps)).every((s) => s === 'succeeded')).toBe(true);

    const p = hostPaths(prefix, work.bundle);
    expect(fake.host.calls).toHaveLength(1);
    const call = fake.host.calls[0]!;
    expect(call.argv).toEqual([
      `${p.bundle}/hooks/k8s/vip.sh`,
      '--prefix',
      p.prefix,
      '--bundle',
      p.bundle,
      '--vip',
      VIP,
      '--interface',
      IFACE,
      '--real-servers',
      '10.20.0.5',
    ]);
    expect(call.stepsBefore.at(-1)).toBe(`vip.render.${cp.id}:succeeded`);
    expect(fake.host.probes).toContainEqual(['ip', '-o', 'route', 'get', '198.51.100.200']);
    // The rendered configuration, whole, by the real vip.sh --render-only.
    const rendered = r.steps.find((s) => s.name === `vip.render.${cp.id}` && s.status === 'succeeded')!;
    expect(rendered.output).toContain('virtual_server 198.51.100.200 6443');
    expect(rendered.output).toContain('real_server 10.20.0.5 6443');
    expect(rendered.output).toContain(`198.51.100.200/32 dev ${IFACE}`);
    // Checked by the keepalived the install put under the prefix, not the host's.
    expect(rendered.output).toContain(
      `keepalived --config-test passed: ${prefix}/usr/local/lib/k8s-manage/k8s-1.30.2-synth/vip/sbin/keepalived, Keepalived v2.2.`,
    );
    const step = r.steps.find((s) => s.name === vipStep && s.status === 'succeeded')!;
    expect(step.detail).toMatchObject({
      vip: VIP,
      interface: IFACE,
      real_servers: ['10.20.0.5'],
      tries: 1,
    });
    expect(step.output).toContain('keepalived started');
    expect(readFileSync(marker(), 'utf8')).toBe(VIP);

    // The job's lease was lost after the host finished: the platform runs it again.
    const again = await vipTask(withVip(VIP), 2);
    expect(again.done.status).toBe('succeeded');
    expect(finalStatus(again.r.steps)[vipStep]).toBe('skipped');
    expect(again.r.steps.find((s) => s.name === vipStep)?.detail).toEqual({
      reason: 'done in an earlier attempt',
    });
    expect(fake.host.calls).toHaveLength(1);

    // Another address is another VIP: the step runs again.
    const moved = await vipTask(withVip('198.51.100.201/32'), 3);
    expect(moved.done.status).toBe('succeeded');
    expect(fake.host.calls).toHaveLength(2);
    expect(fake.host.calls[1]!.argv).toContain('198.51.100.201/32');

    const un = await uninstall();
    expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
    expect(listing(prefix)).toEqual(before);
  });

  it('refuses a host without the install, tries vip.sh 3 times before COMMAND_FAILED, and a retry resumes at the VIP', async ({
    skip,
  }) => {
    if (!built) return skip('the VIP tools could not be built here');
    const missing = await vipTask(withVip(VIP));
    expect(missing.done.error_code).toBe('BUNDLE_MISSING');
    expect(fake.host.calls).toEqual([]);
    expect((await install(withVip(VIP))).done.status).toBe('succeeded');

    // A kernel that lost IPVS since preflight: no retry can help.
    fake.host.codes = [3];
    const noIpvs = await vipTask(withVip(VIP), 2);
    expect(noIpvs.done.error_code).toBe('PREFLIGHT_IPVS');
    expect(fake.host.calls).toHaveLength(1);

    fake.host.calls = [];
    fake.host.codes = [1, 1, 1];
    const { done, r } = await vipTask(withVip(VIP), 3);
    expect(done.status).toBe('failed');
    expect(done.error_code).toBe('COMMAND_FAILED');
    expect(done.result).toEqual({
      hosts: [expect.objectContaining({ status: 'failed', error_code: 'COMMAND_FAILED' })],
    });
    expect(done.diagnostics).toMatchObject({
      hosts: [{ failed_step: 'vip', error_code: 'COMMAND_FAILED' }],
    });
    const failed = r.steps.find((s) => s.name === vipStep && s.status === 'failed')!;
    expect(failed.error_code).toBe('COMMAND_FAILED');
    expect(failed.detail).toMatchObject({ tries: 3, exit_code: 1 });
    expect(String(failed.detail?.message)).toMatch(
      /vip\.sh failed 3 times on cp-1: error: keepalived exited/,
    );
    expect(fake.host.calls).toHaveLength(3);
    const at = fake.host.calls.map((c) => c.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(retry.backoffMs - 10);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(retry.backoffMs - 10);
    expect(existsSync(marker())).toBe(false);

    fake.host.calls = [];
    fake.host.codes = [1];
    const resumed = await vipTask(withVip(VIP), 4);
    expect(resumed.done.status, JSON.stringify(resumed.done.diagnostics)).toBe('succeeded');
    const st = finalStatus(resumed.r.steps);
    expect(vipNames.map((n) => st[n])).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(resumed.r.steps.find((s) => s.name === vipStep && s.status === 'succeeded')?.detail).toMatchObject(
      {
        tries: 2,
      },
    );
    expect(fake.host.calls).toHaveLength(2);
    expect(resumed.r.steps.every((s) => s.attempt === 4)).toBe(true);
  });

  it.skipIf(existsSync('/proc/net/ip_vs'))(
    'ends in PREFLIGHT_IPVS on this kernel, after the bundled keepalived checked the rendered configuration',
    async ({ skip }) => {
      if (!built) return skip('the VIP tools could not be built here');
      expect((await install(withVip(VIP))).done.status).toBe('succeeded');
      // Debian 12's libraries want its glibc: an older host is told so before anything runs.
      fake.host.glibc = 'glibc 2.31';
      const old = await vipTask(withVip(VIP));
      expect(old.done.error_code).toBe('PREFLIGHT_OS');
      expect(finalStatus(old.r.steps)[`vip.preflight.${cp.id}`]).toBe('failed');
      expect(JSON.stringify(old.done.diagnostics)).toContain(
        "the VIP's keepalived and ipvsadm need glibc 2.36 or newer; cp-1 has glibc 2.31",
      );
      fake.host.glibc = null;

      fake.host.realKernel = true;
      const { done, r } = await vipTask(withVip(VIP), 2);
      expect(done.error_code).toBe('PREFLIGHT_IPVS');
      expect(done.diagnostics).toMatchObject({
        hosts: [{ failed_step: 'vip', error_code: 'PREFLIGHT_IPVS' }],
      });
      const st = finalStatus(r.steps);
      expect(vipNames.map((n) => st[n])).toEqual(['succeeded', 'succeeded', 'failed']);
      const rendered = r.steps.find((s) => s.name === `vip.render.${cp.id}` && s.status === 'succeeded')!;
      expect(rendered.output).toContain('virtual_server 198.51.100.200 6443');
      expect(rendered.output).toMatch(
        /keepalived --config-test passed: \/tmp\/km-vip-[^/]+\/usr\/local\/lib\/k8s-manage\/k8s-1\.30\.2-synth\/vip\/sbin\/keepalived, Keepalived v2\.2\./,
      );
      expect(fake.host.calls).toEqual([]);
      expect(existsSync(marker())).toBe(false);
    },
  );

  it('installs a cluster from a bundle whose VIP tools are not built; the VIP task then says how to build them', async () => {
    // What a fresh checkout has: everything but bin/linux-amd64/real.
    const fresh = mkdtempSync(join(tmpdir(), 'km-vip-fresh-'));
    try {
      cpSync(SCRIPT_DIR, fresh, { recursive: true, filter: (src) => !src.includes('/real') });
      bundleDir = fresh;
      const before = listing(prefix);
      const installed = await install(withVip(VIP));
      expect(installed.done.status, JSON.stringify(installed.done.diagnostics)).toBe('succeeded');
      expect(installed.done.diagnostics).toMatchObject({
        vip_tools: expect.stringContaining(
          'run npm run bundle:build -- --runtime k8s --version 1.30.2-synth',
        ),
      });
      const tools = join(prefix, 'usr/local/lib/k8s-manage/k8s-1.30.2-synth/vip');
      expect(existsSync(tools)).toBe(false);

      const { done, r } = await vipTask(withVip(VIP));
      expect(done.error_code).toBe('BUNDLE_MISSING');
      const failed = r.steps.find((s) => s.name === `vip.preflight.${cp.id}` && s.status === 'failed')!;
      expect(String(failed.detail?.message)).toContain(
        'run npm run bundle:build -- --runtime k8s --version 1.30.2-synth where the runner is, then uninstall and install the cluster again',
      );
      expect(fake.host.calls).toEqual([]);
      expect((await uninstall()).status).toBe('succeeded');
      expect(listing(prefix)).toEqual(before);
    } finally {
      bundleDir = built ?? SCRIPT_DIR;
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('tries 3 times with a couple of seconds between tries by default', () => {
    expect(VIP_RETRY).toEqual({ attempts: 3, backoffMs: 2_000 });
  });

  it('reads the interface and this host’s address from `ip -o route get`', () => {
    expect(parseRoute(ROUTE('198.51.100.200'))).toEqual({ local: false, iface: IFACE, src: '10.20.0.5' });
    expect(
      parseRoute('local 198.51.100.200 dev lo table local src 198.51.100.200 uid 0 \\    cache <local>'),
    ).toEqual({ local: true, iface: 'lo', src: '198.51.100.200' });
  });
});
