import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root, so the children run exactly as `npm start` does from a checkout. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm start` is `tsx functions/node/server.ts`. The tsx CLI is run by this Node directly rather
 * than through npx/npm, so no extra shell or npm process sits between the test and the server
 * (npm would swallow the exit code and a signal). tsx relays SIGTERM/SIGINT to the server.
 */
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

/** Every child a test file started, so cleanup can kill them by process (group) id. */
const started: ChildProcess[] = [];

/**
 * Only what a user's shell would have: nothing of the test runner's K8SM_* or DATABASE_URL may
 * reach the child, or a case "without K8SM_BOOTSTRAP_ADMIN" would not be one.
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return env;
}

/** A port nobody listens on right now: bind port 0 on loopback, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type Proc = {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
};

/** Runs a command from the repository root with only the given environment (plus PATH, HOME). */
export function runCommand(command: string, args: string[], env: Record<string, string>): Proc {
  // detached: the child leads its own process group, so cleanup can kill it and whatever it
  // started (tsx's server, npm's shell) with one kill(-pid) even if the leader dies first.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  started.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid, stdout: () => out, stderr: () => err, exited };
}

/** `tsx <script> ...args`, as the package.json scripts run it. */
export const runTsx = (script: string, args: string[], env: Record<string, string>): Proc =>
  runCommand(process.execPath, [TSX_CLI, script, ...args], env);

export type ServerProc = Proc & { port: number; url(path: string): string };

export function startServer(env: Record<string, string> & { K8SM_PORT: string }): ServerProc {
  const proc = runTsx('functions/node/server.ts', [], env);
  const port = Number(env.K8SM_PORT);
  return { ...proc, port, url: (path) => `http://127.0.0.1:${port}/api/v1${path}` };
}

/** Resolves with the exit, or throws after timeoutMs (the process is left for cleanup). */
export async function waitExit(proc: Proc, timeoutMs: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`pid ${proc.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls GET /health until it answers 200; fails early, with the output, if the server exits. */
export async function waitHealthy(server: ServerProc, timeoutMs = 60_000): Promise<void> {
  let exit: Exit | undefined;
  void server.exited.then((e) => {
    exit = e;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit)
      throw new Error(
        `server exited (${JSON.stringify(exit)}) before healthy:\n${server.stderr()}${server.stdout()}`,
      );
    try {
      const res = await fetch(server.url('/health'), { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${server.stderr()}${server.stdout()}`);
}

export type Answer = { status: number; json: any; text: string };

export async function call(
  server: ServerProc,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url(path), {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export async function login(server: ServerProc, username: string, password: string): Promise<Answer> {
  return call(server, 'POST', '/auth/login', { body: { username, password } });
}

/** Kills every child this file started (its whole process group), by id; gone ones are fine. */
export async function killAll(): Promise<void> {
  for (const child of started.splice(0)) {
    // The group, even when tsx is gone: a server it started could outlive it.
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5_000);
      child.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
