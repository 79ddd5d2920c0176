/**
 * `npm run bundle:build -- --runtime R --version V` and `npm run bundle:verify [-- --runtime R
 * --version V]` over `script/`.
 *
 * build: for a synthetic entry, re-hashes its committed files; for the real compose engine, takes
 * Debian's own packages (`apt-get download`, signatures checked by apt against the host's keyring),
 * unpacks them with `dpkg-deb -x`, copies the engine's binaries to `bin/linux-amd64/real/` under
 * versioned names and records their sha256 and the package versions; for a k8s entry with the VIP
 * hook, does the same for keepalived and ipvsadm and the libraries they load (debian.ts). Either
 * way the manifest and `checksums/SHA256SUMS` are rewritten. verify: the manifest is schema-valid, every file of every
 * (or the given) entry is present with its sha256, and SHA256SUMS agrees; exit 1 with the list.
 * Binaries `bundle:build` takes from Debian are not committed, so on a fresh clone they are absent:
 * that is reported as "not built" and is no failure; a file present with the wrong sha256 always is.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { sha256File } from '../runner/install/local';
import { type BundleEntry, BundleFile, Manifest, VIP_SCRIPT } from '../shared/install/manifest';
import { DebianPackages, glibcNeeded } from './debian';

const run = promisify(execFile);
export const SCRIPT_DIR = resolve(import.meta.dirname, '..', 'script');
const MANIFEST = 'manifests/index.yaml';
const SUMS = 'checksums/SHA256SUMS';
const HEADER = ` Every runtime and version the install engine can put on a host (schema: shared/install/manifest.ts).
 Written by \`npm run bundle:build\`; check with \`npm run bundle:verify\`. See docs/install.md.`;

export async function loadManifest(dir = SCRIPT_DIR): Promise<Manifest> {
  return Manifest.parse(YAML.parse(await readFile(join(dir, MANIFEST), 'utf8')));
}

/** `<sha256>  <path>` for every distinct file of every entry, sorted by path. */
export function sha256sums(m: Manifest): string {
  const byPath = new Map<string, string>();
  for (const b of m.bundles) for (const f of b.files) byPath.set(f.path, f.sha256);
  return [...byPath]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, s]) => `${s}  ${p}\n`)
    .join('');
}

export async function writeManifest(m: Manifest, dir = SCRIPT_DIR): Promise<void> {
  const doc = new YAML.Document(Manifest.parse(m));
  doc.commentBefore = HEADER;
  await writeFile(join(dir, MANIFEST), doc.toString({ lineWidth: 0 }));
  await mkdir(join(dir, 'checksums'), { recursive: true });
  await writeFile(join(dir, SUMS), sha256sums(m));
}

const select = (m: Manifest, runtime?: string, version?: string) =>
  m.bundles.filter((b) => (!runtime || b.runtime === runtime) && (!version || b.version === version));

/** Where `bundle:build` writes what it takes from Debian; absent until it has run. */
const BUILT_DIR = 'bin/linux-amd64/real/';

export interface Verification {
  /** Corruption: wrong sha256, missing committed files, a broken manifest. Fails verify. */
  problems: string[];
  /** Built files not there yet, one line per entry, with the command that builds them. */
  notBuilt: string[];
}

/** Every problem found, as lines a person can act on; empty when all is well. */
export async function verifyBundles(
  dir = SCRIPT_DIR,
  runtime?: string,
  version?: string,
): Promise<Verification> {
  let m: Manifest;
  try {
    m = await loadManifest(dir);
  } catch (e) {
    return { problems: [`${MANIFEST}: ${(e as Error).message}`], notBuilt: [] };
  }
  const problems: string[] = [];
  const notBuilt: string[] = [];
  const entries = select(m, runtime, version);
  if (!entries.length) problems.push(`no entry for ${runtime ?? '*'} ${version ?? '*'} in ${MANIFEST}`);
  for (const b of entries) {
    const absent: string[] = [];
    for (const f of b.files) {
      const got = await sha256File(join(dir, f.path)).catch(() => null);
      if (got === null && f.path.startsWith(BUILT_DIR)) absent.push(f.path);
      else if (got === null) problems.push(`${b.runtime} ${b.version}: ${f.path} is missing`);
      else if (got !== f.sha256)
        problems.push(
          `${b.runtime} ${b.version}: ${f.path} has sha256 ${got}, the manifest says ${f.sha256}`,
        );
    }
    if (absent.length)
      notBuilt.push(
        `${b.runtime} ${b.version}: not built (run npm run bundle:build -- --runtime ${b.runtime} --version ${b.version}): ${absent.join(', ')}`,
      );
    for (const [k, p] of Object.entries(b.entry)) {
      if (!b.files.some((f) => f.path === p))
        problems.push(`${b.runtime} ${b.version}: entry ${k} (${p}) is not among its files`);
    }
  }
  const sums = await readFile(join(dir, SUMS), 'utf8').catch(() => null);
  if (sums === null) problems.push(`${SUMS} is missing`);
  else if (sums !== sha256sums(m))
    problems.push(`${SUMS} does not agree with ${MANIFEST}: run npm run bundle:build`);
  return { problems, notBuilt };
}

/** Packages the real compose engine is built from, and the binaries taken from them. */
const DEBIAN_PACKAGES = ['docker.io', 'containerd', 'runc', 'tini'];
const ENGINE_BINARIES: [string, string][] = [
  ['usr/sbin/dockerd', 'dockerd'],
  ['usr/bin/docker', 'docker'],
  ['usr/sbin/docker-proxy', 'docker-proxy'],
  ['usr/bin/docker-init', 'docker-init'],
  ['usr/bin/containerd', 'containerd'],
  ['usr/bin/containerd-shim-runc-v2', 'containerd-shim-runc-v2'],
  ['usr/sbin/runc', 'runc'],
];

export async function buildDebianCompose(entry: BundleEntry, dir = SCRIPT_DIR): Promise<BundleEntry> {
  const work = await mkdtemp(join(tmpdir(), 'bundle-deb-'));
  try {
    await run('apt-get', ['download', ...DEBIAN_PACKAGES], { cwd: work, timeout: 600_000 });
    const debs = (await readdir(work)).filter((f) => f.endsWith('.deb'));
    const source: Record<string, string> = { ...entry.source };
    for (const deb of debs) {
      const { stdout } = await run('dpkg-deb', ['-f', join(work, deb), 'Package', 'Version']);
      const [pkg, ver] = stdout.split('\n').map((l) => l.replace(/^\w+: /, '').trim());
      source[`deb:${pkg}`] = ver ?? '';
      await run('dpkg-deb', ['-x', join(work, deb), join(work, 'root')]);
    }
    source.how = 'apt-get download (apt checks the signed archive), dpkg-deb -x; see docs/install.md';
    const outDir = join(dir, 'bin', 'linux-amd64', 'real');
    await mkdir(outDir, { recursive: true });
    const files = entry.files.filter((f) => !f.path.startsWith('bin/'));
    for (const [from, name] of ENGINE_BINARIES) {
      // docker-init is a link to tini-static: the file it names is what ships.
      const real = await realpath(join(work, 'root', from));
      const path = `bin/linux-amd64/real/${name}-${entry.version}`;
      await copyFile(real, join(dir, path));
      files.push(
        BundleFile.parse({
          path,
          sha256: await sha256File(join(dir, path)),
          install_to: `usr/local/bin/${name}`,
        }),
      );
    }
    return { ...entry, source, files };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The VIP's tools, from Debian like the engine: binary in the package → its name in the bundle. */
const VIP_TOOLS: [string, string, string][] = [
  ['keepalived', 'usr/sbin/keepalived', 'keepalived'],
  ['ipvsadm', 'sbin/ipvsadm', 'ipvsadm'],
];

/** Where a k8s entry's VIP tools go under the prefix: beside its hooks, off the host's PATH. */
export const vipToolsDir = (entry: Pick<BundleEntry, 'runtime' | 'version'>) =>
  `usr/local/lib/k8s-manage/${entry.runtime}-${entry.version}/vip`;

/**
 * keepalived and ipvsadm with every library they load but glibc's, which vip.sh puts first on
 * LD_LIBRARY_PATH: nothing is added to the host's package database, and uninstall removes it all.
 */
export async function buildVipTools(entry: BundleEntry, dir = SCRIPT_DIR): Promise<BundleEntry> {
  const work = await mkdtemp(join(tmpdir(), 'bundle-vip-'));
  try {
    const debs = new DebianPackages(work);
    await debs.fetch(VIP_TOOLS.map(([pkg]) => pkg));
    const binaries = await Promise.all(
      VIP_TOOLS.map(async ([pkg, from, name]) => {
        const root = debs.byName.get(pkg)?.root;
        if (!root) throw new Error(`apt-get download ${pkg} gave no ${pkg} package`);
        // ipvsadm is in /sbin on some releases and /usr/sbin on others.
        const file = await realpath(join(root, from)).catch(() => realpath(join(root, 'usr', from)));
        return { pkg, file, name };
      }),
    );
    const libs = await debs.libraries(binaries);
    const outDir = join(dir, BUILT_DIR);
    const libDir = `${BUILT_DIR}vip-lib-${entry.version}`;
    await mkdir(join(dir, libDir), { recursive: true });
    const to = vipToolsDir(entry);
    const shipped: BundleFile[] = [];
    const put = async (from: string, path: string, install_to: string, mode: string) => {
      await copyFile(from, join(dir, path));
      const sha256 = await sha256File(join(dir, path));
      shipped.push(BundleFile.parse({ path, sha256, install_to, mode, vip_only: true }));
    };
    await mkdir(outDir, { recursive: true });
    for (const b of binaries)
      await put(b.file, `${BUILT_DIR}${b.name}-${entry.version}`, `${to}/sbin/${b.name}`, '0755');
    for (const [soname, file] of [...libs].sort(([a], [b]) => a.localeCompare(b)))
      await put(file, `${libDir}/${soname}`, `${to}/lib/${soname}`, '0644');
    const source: Record<string, string> = Object.fromEntries(
      Object.entries(entry.source).filter(([k]) => !k.startsWith('vip:')),
    );
    // Only the packages something is taken from: the rest were fetched to look for a library.
    const used = new Set(
      [...binaries.map((b) => b.file), ...libs.values()].map(
        (f) => [...debs.byName.values()].find((p) => f.startsWith(`${p.root}/`))?.name,
      ),
    );
    for (const p of [...debs.byName.values()]
      .filter((p) => used.has(p.name))
      .sort((a, b) => a.name.localeCompare(b.name)))
      source[`vip:deb:${p.name}`] = p.version;
    source['vip:glibc'] = await glibcNeeded([...binaries.map((b) => b.file), ...libs.values()]);
    source['vip:how'] =
      "apt-get download (apt checks the signed archive), dpkg-deb -x; libraries by ELF NEEDED, glibc's left to the host";
    const files = entry.files.filter((f) => !f.path.startsWith(BUILT_DIR));
    return { ...entry, source, files: [...files, ...shipped] };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function build(runtime: string, version: string, dir = SCRIPT_DIR): Promise<BundleEntry> {
  const m = await loadManifest(dir);
  const i = m.bundles.findIndex((b) => b.runtime === runtime && b.version === version);
  if (i < 0) throw new Error(`no entry for ${runtime} ${version} in ${MANIFEST}: add it first`);
  let entry = m.bundles[i]!;
  if (!entry.synthetic && runtime === 'compose') entry = await buildDebianCompose(entry, dir);
  else if (!entry.synthetic)
    throw new Error(`${runtime} ${version} is fetched where a network exists; see docs/install.md`);
  if (entry.files.some((f) => f.path === VIP_SCRIPT)) entry = await buildVipTools(entry, dir);
  const files = await Promise.all(
    entry.files.map(async (f) => ({ ...f, sha256: await sha256File(join(dir, f.path)) })),
  );
  m.bundles[i] = { ...entry, files };
  await writeManifest(m, dir);
  return m.bundles[i]!;
}

function flags(argv: string[]): { runtime?: string; version?: string; dir?: string } {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.replace(/^--/, '');
    if (!k || !['runtime', 'version', 'dir'].includes(k) || argv[i + 1] === undefined)
      throw new Error(`usage: bundle.ts build|verify [--runtime R --version V] [--dir D]; got ${argv[i]}`);
    out[k] = argv[i + 1]!;
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const f = flags(rest);
  const dir = f.dir ? resolve(f.dir) : SCRIPT_DIR;
  if (cmd === 'build') {
    if (!f.runtime || !f.version) throw new Error('build needs --runtime and --version');
    const entry = await build(f.runtime, f.version, dir);
    process.stdout.write(
      `${entry.runtime} ${entry.version}: ${entry.files.length} files recorded in ${MANIFEST} and ${SUMS}\n`,
    );
    return 0;
  }
  if (cmd === 'verify') {
    const { problems, notBuilt } = await verifyBundles(dir, f.runtime, f.version);
    for (const n of notBuilt) process.stdout.write(`${n}\n`);
    for (const p of problems) console.error(`corrupt: ${p}`);
    if (!problems.length)
      process.stdout.write(
        notBuilt.length ? 'bundle verified (except what is not built)\n' : 'bundle verified\n',
      );
    return problems.length ? 1 : 0;
  }
  throw new Error('usage: bundle.ts build|verify [--runtime R --version V] [--dir D]');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
