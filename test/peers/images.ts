/**
 * Container images made without any download: a root file system holding only a static busybox
 * and the links the tests use, imported into an engine and pushed to a test registry. Every tag
 * carries its own name in `/etc/k8sm-tag`, so a container can tell which one it runs.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEnv } from './docker';
import { must } from './proc';
import { requireBinary } from './require';

const APPLETS = ['sh', 'sleep', 'httpd', 'wget', 'cat', 'echo', 'true', 'false', 'env', 'ls'];

/** `tar -C dir -c . | docker import - ref`, both without a shell. */
function importDir(dir: string, ref: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const imp = spawn('docker', ['import', '--change', 'CMD ["sleep","3600"]', '-', ref], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    tar.stdout.pipe(imp.stdin);
    let stderr = '';
    tar.stderr.on('data', (d) => {
      stderr += d;
    });
    imp.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      tar.kill('SIGKILL');
      imp.kill('SIGKILL');
    }, 60_000);
    tar.on('error', reject);
    imp.on('error', reject);
    imp.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`docker import ${ref} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** Static: the image has no libc for a dynamically linked busybox to load. */
const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

export async function pushBusyboxImage(
  dockerHost: string,
  registry: string,
  name: string,
  tags: string[],
): Promise<string[]> {
  const busybox = BUSYBOX_CANDIDATES.find((p) => {
    try {
      return requireBinary(p) === p;
    } catch {
      return false;
    }
  });
  if (!busybox) throw new Error('busybox not found (install busybox-static)');
  const env = { ...process.env, ...dockerEnv(dockerHost) };
  const root = mkdtempSync(join(tmpdir(), 'rootfs-'));
  try {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'etc'));
    mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    const refs: string[] = [];
    for (const tag of tags) {
      const ref = `${registry}/${name}:${tag}`;
      writeFileSync(join(root, 'etc', 'k8sm-tag'), `${tag}\n`);
      await importDir(root, ref, env);
      await must(['docker', 'push', ref], { env, timeoutMs: 120_000 });
      refs.push(ref);
    }
    return refs;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
