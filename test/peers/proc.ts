/**
 * Process helpers of the test peers: run a command to its end, start a daemon and stop it by its
 * pid, wait (bounded) for readiness, find a free port.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';

export type RunResult = { code: number | null; stdout: string; stderr: string };

/** Runs a command without a shell; resolves with its exit code, never rejects for a non-zero one. */
export function run(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; stdin?: NodeJS.ReadableStream } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = execFile(
      file!,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (err && code === null && !err.killed && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
    if (opts.stdin) opts.stdin.pipe(child.stdin!);
    else child.stdin?.end();
  });
}

/** Like `run`, but a non-zero exit is an error naming the command and its stderr. */
export async function must(argv: string[], opts: Parameters<typeof run>[1] = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0)
    throw new Error(`${argv.slice(0, 3).join(' ')} exited with ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A daemon with its output in a log file, so it holds no pipe of the test process open. */
export function startDaemon(
  argv: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const log = openSync(logFile, 'a');
  const [file, ...args] = argv;
  const child = spawn(file!, args, { stdio: ['ignore', log, log], env, detached: true });
  child.unref();
  return child;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) =>
    Promise.race([
      gone.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
    ]);
  process.kill(child.pid, 'SIGTERM');
  if (await within(graceMs)) return;
  process.kill(child.pid, 'SIGKILL');
  await within(5_000);
}

/** Polls `ready` every 100 ms until it holds or `timeoutMs` passes; says what it waited for. */
export async function waitFor(
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  died?: () => boolean,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (died?.()) throw new Error(`${what}: the process exited while starting`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
