/**
 * Debian packages as `bundle:build` takes them: `apt-get download` (apt checks each package
 * against the signed archive), `dpkg-deb -x` into a directory per package, and the shared
 * libraries a binary links, found by their ELF NEEDED entries among the packages its own package
 * depends on, recursively. glibc's libraries stay the host's: they come with the dynamic loader,
 * which must match them.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Sonames of glibc (package libc6): never shipped. */
export const GLIBC =
  /^(ld-linux[\w-]*\.so\.\d+|lib(c|m|mvec|pthread|dl|rt|resolv|util|anl|BrokenLocale|nss_\w+)\.so\.\d+)$/;
const LIB_DIRS = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib', 'usr/lib'];

export type Unpacked = { name: string; version: string; depends: string[]; root: string };

export class DebianPackages {
  readonly byName = new Map<string, Unpacked>();
  constructor(private readonly work: string) {}

  /** Downloads and unpacks the packages not fetched yet. */
  async fetch(names: string[]): Promise<void> {
    const todo = [...new Set(names)].filter((n) => !this.byName.has(n));
    if (!todo.length) return;
    const debs = join(this.work, 'debs');
    await mkdir(debs, { recursive: true });
    const before = new Set(await readdir(debs));
    const download = (names: string[]) =>
      run('apt-get', ['download', ...names], { cwd: debs, timeout: 600_000 });
    // A virtual package (one only provided by others) fails the whole batch: then one by one, and
    // a library still missing afterwards is reported by the caller.
    try {
      await download(todo);
    } catch {
      for (const n of todo) await download([n]).catch(() => null);
    }
    for (const deb of (await readdir(debs)).filter((f) => f.endsWith('.deb') && !before.has(f))) {
      const { stdout } = await run('dpkg-deb', ['-f', join(debs, deb), 'Package', 'Version', 'Depends']);
      const field = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
      const name = field('Package');
      const root = join(this.work, 'root', name);
      await mkdir(root, { recursive: true });
      await run('dpkg-deb', ['-x', join(debs, deb), root]);
      this.byName.set(name, { name, version: field('Version'), depends: dependsOf(field('Depends')), root });
    }
  }

  /** The file a package ships under that soname (the soname is usually a link to it), or null. */
  async find(soname: string, among: Iterable<Unpacked> = this.byName.values()): Promise<string | null> {
    for (const p of among) {
      for (const d of LIB_DIRS) {
        const hit = join(p.root, d, soname);
        if (await stat(hit).catch(() => null)) return realpath(hit);
      }
    }
    return null;
  }

  /**
   * Every non-glibc library `binaries` load, directly or through each other: soname → file. A
   * library missing from the packages fetched so far is looked for among the library packages its
   * user's package depends on (dpkg-shlibdeps put the provider there).
   */
  async libraries(binaries: { file: string; pkg: string }[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const queue = [...binaries];
    for (let item = queue.shift(); item; item = queue.shift()) {
      for (const soname of await needed(item.file)) {
        if (GLIBC.test(soname) || found.has(soname)) continue;
        let file = await this.find(soname);
        const owner = this.byName.get(item.pkg);
        if (!file && owner) {
          await this.fetch(owner.depends.filter((d) => d !== 'libc6'));
          file = await this.find(soname);
        }
        if (!file)
          throw new Error(`no package that ${item.pkg} depends on ships ${soname} (needed by ${item.file})`);
        found.set(soname, file);
        const provider = [...this.byName.values()].find((p) => file.startsWith(`${p.root}/`));
        queue.push({ file, pkg: provider?.name ?? item.pkg });
      }
    }
    return found;
  }
}

/** Package names of a Depends field (Pre-Depends hold no libraries a binary loads); of `a | b`, a. */
export const dependsOf = (field: string) =>
  field
    .split(',')
    .map(
      (d) =>
        d
          .split('|')[0]!
          .trim()
          .split(/[\s(:]/)[0]!,
    )
    .filter(Boolean);

/** The sonames an ELF file names as NEEDED. */
export async function needed(file: string): Promise<string[]> {
  const { stdout } = await run('objdump', ['-p', file]);
  return [...stdout.matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((m) => m[1]!);
}

/** The newest glibc symbol version any of `files` asks for (`2.36`): the oldest glibc they run on. */
export async function glibcNeeded(files: string[]): Promise<string> {
  let newest = [0, 0];
  for (const f of files) {
    const { stdout } = await run('objdump', ['-T', f], { maxBuffer: 64 * 1024 * 1024 });
    for (const m of stdout.matchAll(/\bGLIBC_(\d+)\.(\d+)\b/g)) {
      const v = [Number(m[1]), Number(m[2])];
      if (v[0]! > newest[0]! || (v[0] === newest[0] && v[1]! > newest[1]!)) newest = v;
    }
  }
  return newest.join('.');
}
