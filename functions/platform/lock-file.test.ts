import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, LockedError } from './lock-file';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'k8sm-lock-'));
  dirs.push(d);
  return d;
}

/** A process that is alive for the test: the "other server" holding the lock. */
function liveProcess(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not spawn sleep');
  children.push(child);
  return child as ChildProcess & { pid: number };
}

/** Kills it by pid and waits until it is reaped, so its pid is really dead. */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

afterEach(async () => {
  for (const c of children.splice(0)) await stop(c);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('acquireLock', () => {
  it('creates the data directory and a 0600 lock file holding our pid', () => {
    const dir = join(tempDir(), 'data');
    const release = acquireLock(dir);
    const path = join(dir, 'k8sm.lock');
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    release();
  });

  it('refuses while the holder is alive, naming its pid, and leaves its lock alone', () => {
    const dir = tempDir();
    const holder = liveProcess();
    writeFileSync(join(dir, 'k8sm.lock'), String(holder.pid));

    expect(() => acquireLock(dir)).toThrow(LockedError);
    expect(() => acquireLock(dir)).toThrow(`in use by process ${holder.pid}`);
    expect(readFileSync(join(dir, 'k8sm.lock'), 'utf8')).toBe(String(holder.pid));
  });

  it('takes over a stale lock left by a process that is gone', async () => {
    const dir = tempDir();
    const dead = liveProcess();
    await stop(dead);
    expect(() => process.kill(dead.pid, 0)).toThrow();
    writeFileSync(join(dir, 'k8sm.lock'), String(dead.pid));

    const release = acquireLock(dir);
    expect(readFileSync(join(dir, 'k8sm.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over a lock file that holds no pid (a crash between create and write)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k8sm.lock'), '');
    const release = acquireLock(dir);
    expect(readFileSync(join(dir, 'k8sm.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('removes the lock file on release, so the next start gets the lock', () => {
    const dir = tempDir();
    const release = acquireLock(dir);
    expect(existsSync(join(dir, 'k8sm.lock'))).toBe(true);
    release();
    expect(existsSync(join(dir, 'k8sm.lock'))).toBe(false);
    // A second release (signal handler and fallback timer both firing) is harmless.
    expect(() => release()).not.toThrow();

    const again = acquireLock(dir);
    expect(readFileSync(join(dir, 'k8sm.lock'), 'utf8')).toBe(String(process.pid));
    again();
  });
});
