import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Manifest } from '../shared/install/manifest';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../test/peers/netns';
import { peerAvailable } from '../test/peers/require';
import { builtBundle } from '../test/support/built-bundle';
import { main, SCRIPT_DIR, sha256sums, verifyBundles } from './bundle';
import { GLIBC } from './debian';

const run = promisify(execFile);

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

/** Every committed shell script: hooks and the synthetic stand-ins (by their shebang). */
const scripts = walk(SCRIPT_DIR).filter(
  (p) => !p.includes('/real/') && (p.endsWith('.sh') || readFileSync(p, 'utf8').startsWith('#!/bin/sh')),
);

const SYNTHETIC = [
  ['compose', '24.0.7-synth'],
  ['k8s', '1.30.2-synth'],
] as const;

function copyBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-copy-'));
  cpSync(SCRIPT_DIR, dir, { recursive: true, filter: (src) => !src.includes('/real') });
  return dir;
}

describe('script/ bundles', () => {
  it('has a schema-valid manifest whose SHA256SUMS agrees', () => {
    const m = Manifest.parse(YAML.parse(readFileSync(join(SCRIPT_DIR, 'manifests/index.yaml'), 'utf8')));
    expect(m.bundles.map((b) => `${b.runtime}@${b.version}`)).toEqual(
      expect.arrayContaining(SYNTHETIC.map(([r, v]) => `${r}@${v}`)),
    );
    expect(readFileSync(join(SCRIPT_DIR, 'checksums/SHA256SUMS'), 'utf8')).toBe(sha256sums(m));
    // File names carry the version: two entries never ship different content under one path.
    const seen = new Map<string, string>();
    for (const f of m.bundles.flatMap((b) => b.files)) {
      expect(seen.get(f.path) ?? f.sha256, f.path).toBe(f.sha256);
      seen.set(f.path, f.sha256);
    }
  });

  it('verifies the synthetic compose bundle', async () => {
    expect(await verifyBundles(SCRIPT_DIR, 'compose', '24.0.7-synth')).toEqual({
      problems: [],
      notBuilt: [],
    });
  });

  it('verifies the synthetic k8s bundle, whose VIP tools alone are built from Debian', async () => {
    const dir = copyBundle();
    try {
      const v = await verifyBundles(dir, 'k8s', '1.30.2-synth');
      expect(v.problems).toEqual([]);
      expect(v.notBuilt).toHaveLength(1);
      expect(v.notBuilt[0]).toContain(
        'k8s 1.30.2-synth: not built (run npm run bundle:build -- --runtime k8s --version 1.30.2-synth)',
      );
      expect(v.notBuilt[0]).toContain('bin/linux-amd64/real/keepalived-1.30.2-synth');
      // Everything built is the VIP's: an install without it is still a cluster.
      const m = Manifest.parse(YAML.parse(readFileSync(join(dir, 'manifests/index.yaml'), 'utf8')));
      const k8s = m.bundles.find((b) => b.runtime === 'k8s')!;
      const built = k8s.files.filter((f) => f.path.startsWith('bin/linux-amd64/real/'));
      expect(built.length).toBeGreaterThan(2);
      expect(built.every((f) => f.vip_only)).toBe(true);
      expect(k8s.files.filter((f) => f.vip_only)).toEqual(built);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every tampered, missing or unlisted file', async () => {
    const dir = copyBundle();
    try {
      writeFileSync(join(dir, 'bin/linux-amd64/kubeadm-1.30.2-synth'), '#!/bin/sh\necho changed\n');
      rmSync(join(dir, 'hooks/compose/check.sh'));
      const { problems } = await verifyBundles(dir);
      expect(problems.join('\n')).toMatch(
        /k8s 1\.30\.2-synth: bin\/linux-amd64\/kubeadm-1\.30\.2-synth has sha256/,
      );
      expect(problems.join('\n')).toMatch(/compose 24\.0\.7-synth: hooks\/compose\/check\.sh is missing/);
      writeFileSync(join(dir, 'checksums/SHA256SUMS'), 'x\n');
      expect((await verifyBundles(dir, 'k8s', '1.30.2-synth')).problems.join('\n')).toContain(
        'SHA256SUMS does not agree',
      );
      writeFileSync(join(dir, 'manifests/index.yaml'), 'schema: 2\nbundles: []\n');
      expect((await verifyBundles(dir)).problems[0]).toMatch(/^manifests\/index\.yaml: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundle:verify on a clone where the Debian binaries were never built', () => {
  // copyBundle leaves out bin/linux-amd64/real: exactly what a fresh clone has.
  const REAL = 'bin/linux-amd64/real/dockerd-20.10.24-deb12';
  const captured = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const error = console.error;
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    console.error = (s: string) => void err.push(s);
    try {
      return { code: await main(argv), out: out.join(''), err: err.join('\n') };
    } finally {
      process.stdout.write = write;
      console.error = error;
    }
  };

  it('says what is not built and how to build it, and exits 0', async () => {
    const dir = copyBundle();
    try {
      const v = await verifyBundles(dir);
      expect(v.problems).toEqual([]);
      expect(v.notBuilt).toHaveLength(2);
      expect(v.notBuilt[0]).toContain(
        'compose 20.10.24-deb12: not built (run npm run bundle:build -- --runtime compose --version 20.10.24-deb12)',
      );
      expect(v.notBuilt[0]).toContain(REAL);
      expect(v.notBuilt[1]).toMatch(/^k8s 1\.30\.2-synth: not built /);
      const r = await captured(['verify', '--dir', dir]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('not built (run npm run bundle:build');
      expect(r.err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still exits 1 on a built binary that is corrupt, or a committed hook that is missing', async () => {
    const dir = copyBundle();
    try {
      mkdirSync(join(dir, 'bin/linux-amd64/real'), { recursive: true });
      writeFileSync(join(dir, REAL), 'not dockerd\n');
      const v = await verifyBundles(dir, 'compose', '20.10.24-deb12');
      expect(v.problems.join('\n')).toMatch(
        /dockerd-20\.10\.24-deb12 has sha256 [0-9a-f]{64}, the manifest says/,
      );
      // The other six are still only not built.
      expect(v.notBuilt.join('\n')).not.toContain(REAL);
      expect(v.notBuilt.join('\n')).toContain('runc-20.10.24-deb12');
      const r = await captured(['verify', '--dir', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^corrupt: compose 20\.10\.24-deb12: bin\/linux-amd64\/real\/dockerd/m);

      rmSync(join(dir, REAL));
      rmSync(join(dir, 'hooks/install.sh'));
      const missing = await verifyBundles(dir, 'compose', '20.10.24-deb12');
      expect(missing.problems.join('\n')).toContain('hooks/install.sh is missing');
      expect((await captured(['verify', '--dir', dir])).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!peerAvailable(['bash', 'shellcheck']))('script/ shell scripts', () => {
  it('finds the scripts', () => expect(scripts.length).toBeGreaterThan(15));
  it.each(scripts.map((p) => [relative(SCRIPT_DIR, p), p]))(
    '%s passes bash -n and shellcheck -S error',
    async (_, p) => {
      await run('bash', ['-n', p]);
      await run('shellcheck', ['-S', 'error', p]);
    },
  );
});

const K8S = ['k8s', '1.30.2-synth'] as const;
const debianTools = ['apt-get', 'apt-cache', 'dpkg-deb', 'objdump', 'ldd'];

/** The bundled VIP tools put under `prefix` where install_to says, as the install would. */
function installVipTools(dir: string, prefix: string) {
  const m = Manifest.parse(YAML.parse(readFileSync(join(dir, 'manifests/index.yaml'), 'utf8')));
  const k8s = m.bundles.find((b) => b.runtime === K8S[0] && b.version === K8S[1])!;
  for (const f of k8s.files.filter((f) => f.vip_only)) {
    mkdirSync(dirname(join(prefix, f.install_to)), { recursive: true });
    cpSync(join(dir, f.path), join(prefix, f.install_to));
    chmodSync(join(prefix, f.install_to), Number.parseInt(f.mode, 8));
  }
  return k8s;
}

describe.skipIf(!peerAvailable(debianTools))('the VIP tools built from Debian 12 packages', () => {
  let dir: string | null = null;
  beforeAll(async () => {
    dir = await builtBundle(...K8S);
  }, 600_000);

  it('records the exact package versions apt chose and every file’s sha256', async ({ skip }) => {
    if (!dir) return skip('apt-get download failed here');
    expect(await verifyBundles(dir, ...K8S)).toEqual({ problems: [], notBuilt: [] });
    const k8s = installVipTools(dir, mkdtempSync(join(tmpdir(), 'vip-tools-')));
    for (const pkg of ['keepalived', 'ipvsadm', 'libnl-3-200', 'libpopt0']) {
      const policy = (await run('apt-cache', ['policy', pkg])).stdout;
      const candidate = /Candidate: (\S+)/.exec(policy)?.[1];
      expect(k8s.source[`vip:deb:${pkg}`], pkg).toBe(candidate);
    }
    // glibc is the host's; nothing is fetched that ships no file.
    expect(Object.keys(k8s.source)).not.toContain('vip:deb:libc6');
    // The oldest glibc they run on, which the VIP task checks the host against: Debian 12's.
    expect(k8s.source['vip:glibc']).toBe('2.36');
    const shipped = k8s.files.filter((f) => f.vip_only).map((f) => basename(f.path));
    expect(shipped).toEqual(
      expect.arrayContaining([
        'keepalived-1.30.2-synth',
        'ipvsadm-1.30.2-synth',
        'libnl-3.so.200',
        'libpopt.so.0',
      ]),
    );
    expect(shipped.filter((n) => GLIBC.test(n))).toEqual([]);
  });

  it('runs keepalived and ipvsadm with the bundle’s libraries, found by LD_LIBRARY_PATH alone', async ({
    skip,
  }) => {
    if (!dir) return skip('apt-get download failed here');
    const real = join(dir, 'bin/linux-amd64/real');
    const libs = join(real, 'vip-lib-1.30.2-synth');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: libs };
    for (const bin of ['keepalived', 'ipvsadm']) {
      const { stdout } = await run('ldd', [join(real, `${bin}-1.30.2-synth`)], { env });
      const resolved = [...stdout.matchAll(/^\s*(\S+) => (\S+)/gm)].map((m) => [m[1]!, m[2]!] as const);
      expect(resolved.length, bin).toBeGreaterThan(2);
      for (const [soname, at] of resolved) {
        if (/^(libc|libm|libresolv|libpthread|libdl|librt)\.so\./.test(soname)) continue;
        expect(at, `${bin}: ${soname}`).toBe(join(libs, soname));
      }
      expect(stdout).not.toContain('not found');
    }
    const k = await run(join(real, 'keepalived-1.30.2-synth'), ['--version'], { env });
    expect(`${k.stdout}${k.stderr}`).toMatch(/^Keepalived v2\.2\.\d+/);
    // ipvsadm asks the kernel first: without IPVS it says so, which shows it loaded and ran.
    const i = await run(join(real, 'ipvsadm-1.30.2-synth'), ['--version'], { env }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    expect(`${i.stdout}${i.stderr}`).toMatch(
      existsSync('/proc/net/ip_vs') ? /^ipvsadm v1\.31/ : /Can't initialize ipvs/,
    );
    expect(`${i.stdout}${i.stderr}`).not.toContain('error while loading shared libraries');
  });
  it.skipIf(process.getuid?.() !== 0)(
    'runs them in a root that holds nothing but glibc, and not without LD_LIBRARY_PATH',
    async ({ skip }) => {
      if (!dir) return skip('apt-get download failed here');
      const root = mkdtempSync(join(tmpdir(), 'vip-glibc-only-'));
      try {
        const sys = '/lib/x86_64-linux-gnu';
        mkdirSync(join(root, sys), { recursive: true });
        mkdirSync(join(root, 'lib64'));
        for (const l of ['libc.so.6', 'libm.so.6', 'libresolv.so.2'])
          cpSync(realpathSync(join(sys, l)), join(root, sys, l));
        cpSync(realpathSync('/lib64/ld-linux-x86-64.so.2'), join(root, 'lib64/ld-linux-x86-64.so.2'));
        const real = join(dir, 'bin/linux-amd64/real');
        cpSync(join(real, 'vip-lib-1.30.2-synth'), join(root, 'vip/lib'), { recursive: true });
        mkdirSync(join(root, 'vip/sbin'));
        for (const bin of ['keepalived', 'ipvsadm'])
          cpSync(join(real, `${bin}-1.30.2-synth`), join(root, 'vip/sbin', bin));
        const inRoot = (bin: string, env: Record<string, string>) =>
          run('chroot', [root, `/vip/sbin/${bin}`, '--version'], { env }).then(
            (r) => `${r.stdout}${r.stderr}`,
            (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`,
          );
        const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: '/vip/lib' };
        expect(await inRoot('keepalived', env)).toMatch(/^Keepalived v2\.2\.\d+/);
        expect(await inRoot('ipvsadm', env)).toMatch(
          existsSync('/proc/net/ip_vs') ? /^ipvsadm v1\.31/ : /Can't initialize ipvs/,
        );
        expect(await inRoot('keepalived', { PATH: env.PATH })).toContain(
          'error while loading shared libraries',
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe.skipIf(!(peerAvailable(['ip', ...debianTools]) && netnsAvailable()))(
  'the VIP keepalived configuration, checked by the bundled keepalived',
  () => {
    let ns: NetnsHost;
    let dir: string | null = null;
    let scratch: string;
    let prefix: string;
    beforeAll(async () => {
      ns = await createNetnsHost(70);
      dir = await builtBundle(...K8S);
      scratch = mkdtempSync(join(tmpdir(), 'vip-render-'));
      // keepalived wants its track script to exist: where install puts it under the prefix.
      prefix = join(scratch, 'root');
      if (dir) installVipTools(dir, prefix);
      const hooks = join(prefix, 'usr/local/lib/k8s-manage/k8s-1.30.2-synth/hooks/k8s');
      mkdirSync(hooks, { recursive: true });
      cpSync(join(SCRIPT_DIR, 'hooks/k8s/check-apiserver.sh'), join(hooks, 'check-apiserver.sh'));
    }, 600_000);
    afterAll(async () => {
      await ns?.destroy();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    /** vip.sh --render-only in the namespace, whose eth0 the VIP is on. */
    const render = async (iface: string, bundle = dir!) => {
      const out = join(scratch, `keepalived-${iface}.conf`);
      const r = await run('ip', [
        ...['netns', 'exec', ns.name, 'sh', join(bundle, 'hooks/k8s/vip.sh')],
        ...['--prefix', prefix, '--bundle', bundle, '--vip', '198.51.100.200/32', '--interface', iface],
        ...['--real-servers', `${ns.address},198.51.100.12`, '--render-only', out],
      ]);
      return { conf: out, stdout: r.stdout };
    };

    it('renders a configuration the bundled keepalived --config-test accepts, with the :6443 check and 3 retries', async ({
      skip,
    }) => {
      if (!dir) return skip('apt-get download failed here');
      const { conf, stdout } = await render('eth0');
      const text = readFileSync(conf, 'utf8');
      expect(text).toContain(`real_server ${ns.address} 6443`);
      expect(text).toMatch(/retry 3/);
      expect(text).toContain('virtual_server 198.51.100.200 6443');
      expect(text).toContain('198.51.100.200/32 dev eth0');
      // The track script is the copy install put under the prefix, asked about the VIP's :6443.
      expect(text).toMatch(
        /script ".*\/root\/usr\/local\/lib\/k8s-manage\/.*\/check-apiserver\.sh 198\.51\.100\.200\/32 6443"/,
      );
      expect(text).toMatch(/fall 3/);
      expect(stdout).toContain(
        `keepalived --config-test passed: ${prefix}/usr/local/lib/k8s-manage/k8s-1.30.2-synth/vip/sbin/keepalived, Keepalived v2.2.`,
      );
    });

    it('is refused by keepalived for an interface the host lacks', async ({ skip }) => {
      if (!dir) return skip('apt-get download failed here');
      await expect(render('nope0')).rejects.toMatchObject({
        stderr: expect.stringMatching(/interface nope0 .* doesn't exist/),
      });
    });

    it('says how to build the tools when the install has none, and never uses the host’s', async () => {
      // A fresh clone's bundle, named as the install names it, over a prefix without the tools.
      const bare = join(scratch, 'bare', 'k8s-1.30.2-synth');
      cpSync(SCRIPT_DIR, bare, { recursive: true, filter: (src) => !src.includes('/real') });
      const empty = join(scratch, 'empty');
      mkdirSync(empty, { recursive: true });
      const failed = await run('sh', [
        ...[join(bare, 'hooks/k8s/vip.sh'), '--prefix', empty, '--bundle', bare],
        ...['--vip', '198.51.100.200/32', '--interface', 'eth0', '--real-servers', '198.51.100.12'],
        ...['--render-only', join(scratch, 'bare.conf')],
      ]).then(
        () => null,
        (e: { stderr: string }) => e.stderr,
      );
      expect(failed).toContain("keepalived is not in this host's install of k8s-1.30.2-synth");
      expect(failed).toContain('npm run bundle:build -- --runtime k8s --version 1.30.2-synth');
    });

    it.skipIf(existsSync('/proc/net/ip_vs'))(
      'exits 3 on a kernel without IPVS before it changes anything, and --stop without keepalived is a no-op',
      async () => {
        const target = mkdtempSync(join(tmpdir(), 'vip-prefix-'));
        try {
          const args = ['--prefix', target, '--bundle', SCRIPT_DIR];
          const vip = join(SCRIPT_DIR, 'hooks/k8s/vip.sh');
          const up = run('sh', [
            vip,
            ...args,
            '--vip',
            '198.51.100.200/32',
            '--interface',
            'eth0',
            '--real-servers',
            ns.address,
          ]);
          await expect(up).rejects.toMatchObject({
            code: 3,
            stderr: expect.stringMatching(/IPVS is not available/),
          });
          expect(readdirSync(target)).toEqual([]);
          expect((await run('sh', [vip, ...args, '--stop'])).stdout).toContain('keepalived stopped');
        } finally {
          rmSync(target, { recursive: true, force: true });
        }
      },
    );

    it('refuses values that are not addresses or names', async () => {
      await expect(
        run('sh', [
          join(SCRIPT_DIR, 'hooks/k8s/vip.sh'),
          '--prefix',
          '/',
          '--bundle',
          SCRIPT_DIR,
          '--vip',
          '1.2.3.4/32;reboot',
          '--interface',
          'eth0',
          '--real-servers',
          '1.2.3.4',
          '--render-only',
          join(scratch, 'x.conf'),
        ]),
      ).rejects.toThrow(/unsupported characters/);
    });
  },
);
