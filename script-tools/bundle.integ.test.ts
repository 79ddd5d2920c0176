import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Manifest } from '../shared/install/manifest';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../test/peers/netns';
import { peerAvailable } from '../test/peers/require';
import { main, SCRIPT_DIR, sha256sums, verifyBundles } from './bundle';

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

  it.each(SYNTHETIC)('verifies the synthetic %s %s bundle', async (runtime, version) => {
    expect(await verifyBundles(SCRIPT_DIR, runtime, version)).toEqual({ problems: [], notBuilt: [] });
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
      expect(v.notBuilt).toHaveLength(1);
      expect(v.notBuilt[0]).toContain(
        'compose 20.10.24-deb12: not built (run npm run bundle:build -- --runtime compose --version 20.10.24-deb12)',
      );
      expect(v.notBuilt[0]).toContain(REAL);
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

describe.skipIf(!(peerAvailable(['keepalived', 'ip']) && netnsAvailable()))(
  'the VIP keepalived configuration',
  () => {
    let ns: NetnsHost;
    let dir: string;
    beforeAll(async () => {
      ns = await createNetnsHost(70);
      dir = copyBundle();
    });
    afterAll(async () => {
      await ns?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // keepalived wants its track script to exist: where install puts it under the prefix.
    const render = async (iface: string) => {
      const out = join(dir, `keepalived-${iface}.conf`);
      const prefix = join(dir, 'root');
      const hooks = join(prefix, 'usr/local/lib/k8s-manage', basename(dir), 'hooks/k8s');
      mkdirSync(hooks, { recursive: true });
      cpSync(join(dir, 'hooks/k8s/check-apiserver.sh'), join(hooks, 'check-apiserver.sh'));
      await run('sh', [
        join(dir, 'hooks/k8s/vip.sh'),
        '--prefix',
        prefix,
        '--bundle',
        dir,
        '--vip',
        '198.51.100.200/32',
        '--interface',
        iface,
        '--real-servers',
        `${ns.address},198.51.100.12`,
        '--render-only',
        out,
      ]);
      return out;
    };

    it('renders a configuration keepalived --config-test accepts, with the :6443 check and 3 retries', async () => {
      const conf = await render('eth0');
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
      await run('ip', ['netns', 'exec', ns.name, 'keepalived', '--config-test', '-f', conf]);
    });

    it('is refused by keepalived for an interface the host lacks', async () => {
      const conf = await render('nope0');
      await expect(
        run('ip', ['netns', 'exec', ns.name, 'keepalived', '--config-test', '-f', conf]),
      ).rejects.toThrow();
    });

    it.skipIf(existsSync('/proc/net/ip_vs'))(
      'exits 3 on a kernel without IPVS before it changes anything, and --stop without keepalived is a no-op',
      async () => {
        const prefix = mkdtempSync(join(tmpdir(), 'vip-prefix-'));
        try {
          const args = ['--prefix', prefix, '--bundle', dir];
          const vip = join(dir, 'hooks/k8s/vip.sh');
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
          expect(readdirSync(prefix)).toEqual([]);
          expect((await run('sh', [vip, ...args, '--stop'])).stdout).toContain('keepalived stopped');
        } finally {
          rmSync(prefix, { recursive: true, force: true });
        }
      },
    );

    it('refuses values that are not addresses or names', async () => {
      await expect(
        run('sh', [
          join(dir, 'hooks/k8s/vip.sh'),
          '--prefix',
          '/',
          '--bundle',
          dir,
          '--vip',
          '1.2.3.4/32;reboot',
          '--interface',
          'eth0',
          '--real-servers',
          '1.2.3.4',
          '--render-only',
          join(dir, 'x.conf'),
        ]),
      ).rejects.toThrow(/unsupported characters/);
    });
  },
);
