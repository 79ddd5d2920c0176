/** Stopping a daemon a test started, with everything it started in turn, by pid and bounded. */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_TIMEOUT_MS = 5_000;

export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Every process below pid, read from /proc: the per-connection sshd processes and their sessions. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after its last ')' do not.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp === p && !found.includes(child)) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const ended = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!ended && alive(child)) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
  }
}

/** The listener and every session it started: nothing of a peer outlives it. */
export async function halt(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined && alive(child)) {
    for (const pid of descendants(child.pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
  await stopProcess(child);
}
