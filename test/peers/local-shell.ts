/**
 * A RemoteShell on this machine, for adapter tests without SSH: each command runs without a shell
 * in `home` (where an SSH login starts) with a login-like environment, and exits the way a remote
 * one would: a missing program is exit code 127, not an exception. Like SFTP, upload creates no
 * directories.
 */
import { spawn } from 'node:child_process';
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { StepError } from '../../runner/jobs/steps';
import type { ExecOptions, ExecResult, RemoteShell } from '../../runner/ssh/types';

const MAX_OUTPUT = 32 << 20;

export function localShell(home: string, env: Record<string, string> = {}): RemoteShell {
  const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...env };
  const running = new Set<ReturnType<typeof spawn>>();

  const exec = (argv: string[], opts: ExecOptions = {}) =>
    new Promise<ExecResult>((resolve, reject) => {
      if (!argv.length) return reject(new TypeError('a command needs at least one argument'));
      if (opts.signal?.aborted) return reject(new StepError('TIMEOUT', `${argv[0]} was cancelled`));
      const [file, ...args] = argv;
      const child = spawn(file!, args, { cwd: home, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      running.add(child);
      let stdout = '';
      let stderr = '';
      let why: 'timeout' | 'abort' | undefined;
      child.stdout.on('data', (d) => {
        if (stdout.length < MAX_OUTPUT) stdout += d;
      });
      child.stderr.on('data', (d) => {
        if (stderr.length < MAX_OUTPUT) stderr += d;
      });
      const kill = (reason: 'timeout' | 'abort') => {
        why = reason;
        child.kill('SIGKILL');
      };
      const timer = opts.timeoutMs ? setTimeout(() => kill('timeout'), opts.timeoutMs) : undefined;
      const onAbort = () => kill('abort');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        running.delete(child);
      };
      child.on('error', (e: NodeJS.ErrnoException) => {
        done();
        if (e.code === 'ENOENT')
          resolve({ code: 127, signal: null, stdout: '', stderr: `sh: ${file}: not found\n` });
        else reject(e);
      });
      child.on('close', (code, signal) => {
        done();
        if (why === 'timeout')
          reject(new StepError('TIMEOUT', `${file} ran longer than ${opts.timeoutMs} ms`));
        else if (why === 'abort') reject(new StepError('TIMEOUT', `${file} was cancelled`));
        else resolve({ code, signal, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
    });

  return {
    exec,
    async upload(content, remotePath, opts = {}) {
      const path = isAbsolute(remotePath) ? remotePath : join(home, remotePath);
      const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
      writeFileSync(tmp, content, { mode: opts.mode ?? 0o644 });
      // The mode given to open() is masked by the umask; the caller's mode is meant exactly.
      chmodSync(tmp, opts.mode ?? 0o644);
      renameSync(tmp, path);
    },
    async close() {
      for (const child of running) child.kill('SIGKILL');
    },
  };
}
