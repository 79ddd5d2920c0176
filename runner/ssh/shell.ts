import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { StepError } from '../jobs/steps';
import { EXEC_OUTPUT_CAP, killableArgv, PidLineFilter, TailBuffer } from './output';
import { commandLine } from './quote';
import type { ExecOptions, ExecResult, RemoteShell } from './types';

/** How long a killed command's channel may take to close before we stop waiting for it. */
const KILL_GRACE_MS = 5_000;
/**
 * OpenSSH refuses more than 10 sessions per connection (MaxSessions); commands beyond this wait
 * for a free one, leaving room for SFTP and the kill channel. The server frees a closed session's
 * slot late: with 8 at once, a burst of quick commands here had a channel open and never run.
 */
const MAX_COMMANDS = 6;

const cb =
  <T = void>(resolve: (v: T) => void, reject: (e: Error) => void) =>
  (err: Error | null | undefined, value?: T) =>
    err ? reject(err) : resolve(value as T);

/** Tries to open a command's channel before giving up on a server with every session slot busy. */
const OPEN_ATTEMPTS = 8;
/**
 * A connected host. Commands go through `commandLine` only; a non-zero exit is a result, not an
 * error, because adapters decide what an exit code means.
 */
export class SshShell implements RemoteShell {
  private sftpSession?: Promise<SFTPWrapper>;
  private closed = false;
  private lastError?: Error;
  private running = 0;
  private queue: (() => void)[] = [];

  constructor(
    private readonly client: Client,
    /** `address:port`, for messages. */
    readonly label: string,
  ) {
    client.on('error', (e) => {
      this.lastError = e;
    });
    client.on('close', () => {
      this.closed = true;
    });
  }

  private lost(what: string): StepError {
    const why = this.lastError ? `: ${this.lastError.message}` : '';
    return new StepError('SSH_CONNECT', `connection to ${this.label} lost ${what}${why}`);
  }

  /** Kills a command's process group from a second channel, bounded. */
  private killGroup(pid: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KILL_GRACE_MS);
      try {
        this.client.exec(commandLine(['kill', '-KILL', '--', `-${pid}`]), (err, ch) => {
          if (err) return resolve();
          ch.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ch.resume();
          ch.stderr.resume();
          ch.end();
        });
      } catch {
        resolve();
      }
    });
  }

  /** A free command slot; a released slot passes straight to the next waiter. */
  private async slot(): Promise<() => void> {
    if (this.running < MAX_COMMANDS) this.running++;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    return () => {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    };
  }

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const line = commandLine(killableArgv(argv));
    const release = await this.slot();
    try {
      return await this.run(line, argv[0]!, opts);
    } finally {
      release();
    }
  }

  private async run(line: string, name: string, opts: ExecOptions): Promise<ExecResult> {
    if (opts.signal?.aborted) throw new StepError('TIMEOUT', `${name} on ${this.label} was cancelled`);
    if (this.closed) throw this.lost('before the command started');
    // Listeners go on in the exec callback itself: ssh2 can deliver the channel's data, exit status
    // and close in the same read as the exec's reply, before an awaiting caller would resume.
    return new Promise<ExecResult>((resolve, reject) => {
      let channel!: ClientChannel;
      const stdout = new TailBuffer(EXEC_OUTPUT_CAP);
      const stderr = new TailBuffer(EXEC_OUTPUT_CAP);
      const stderrIn = new PidLineFilter(stderr);
      let code: number | null = null;
      let signal: string | null = null;
      let exited = false;
      let stopped: 'timeout' | 'cancelled' | null = null;
      let timer: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      let done = false;

      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(grace);
        opts.signal?.removeEventListener('abort', onAbort);
        this.client.removeListener('close', onConnectionClose);
        stderrIn.flush();
        const out = { code, signal, stdout: stdout.text(), stderr: stderr.text() };
        if (stopped) {
          const why = stopped === 'timeout' ? `timed out after ${opts.timeoutMs} ms` : 'was cancelled';
          reject(
            new StepError('TIMEOUT', `${name} on ${this.label} ${why}`, {
              output: out.stderr || out.stdout,
            }),
          );
        } else if (!exited && this.closed) {
          reject(this.lost(`while ${name} ran`));
        } else {
          resolve(out);
        }
      };
      const kill = (why: 'timeout' | 'cancelled') => {
        if (stopped) return;
        stopped = why;
        const close = () => {
          channel.close();
          finish();
        };
        grace = setTimeout(close, KILL_GRACE_MS);
        // Closing first would drop a pid line still on its way; the wrapper prints it first thing.
        const killThenClose = (pid: number) => void this.killGroup(pid).then(() => channel.close());
        if (stderrIn.pid !== null) killThenClose(stderrIn.pid);
        else stderrIn.onPid = killThenClose;
      };
      const onAbort = () => kill('cancelled');
      // A dropped connection may not close its channels one by one.
      const onConnectionClose = () => setImmediate(finish);

      const start = (ch: ClientChannel) => {
        channel = ch;
        channel.on('data', (d: Buffer) => stdout.push(d));
        channel.stderr.on('data', (d: Buffer) => stderrIn.push(d));
        channel.on('exit', (c: number | null, s?: string) => {
          exited = true;
          if (typeof c === 'number') code = c;
          else signal = s ?? null;
        });
        channel.once('close', finish);
        this.client.once('close', onConnectionClose);
        if (opts.timeoutMs !== undefined) timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        // It may have fired while the channel opened.
        if (opts.signal?.aborted) onAbort();
        // Always end stdin: a command waiting for input would otherwise hang until the timeout.
        if (opts.stdin !== undefined) channel.end(opts.stdin);
        else channel.end();
      };
      const refused = (e: Error) =>
        reject(new StepError('SSH_CONNECT', `could not start ${name} on ${this.label}: ${e.message}`));
      // The server frees a session slot a moment after our side saw the channel close, so a burst
      // of quick commands can find every slot taken: a refused channel is retried a few times.
      const open = (attempt: number) => {
        try {
          this.client.exec(line, (err, ch) => {
            if (!err) return start(ch);
            if (/open failed/i.test(err.message) && attempt < OPEN_ATTEMPTS && !this.closed)
              return void setTimeout(() => open(attempt + 1), 25 * attempt);
            refused(err);
          });
        } catch (e) {
          refused(e as Error);
        }
      };
      open(1);
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          this.sftpSession = undefined;
          reject(new StepError('SSH_CONNECT', `could not open SFTP on ${this.label}: ${err.message}`));
        } else {
          sftp.on('close', () => {
            this.sftpSession = undefined;
          });
          resolve(sftp);
        }
      });
    });
    return this.sftpSession;
  }

  /**
   * Writes beside the target and renames over it, so readers see the old file or the whole new
   * one, never a half-written one.
   */
  private async atomically(
    remotePath: string,
    mode: number,
    write: (sftp: SFTPWrapper, tmp: string) => Promise<void>,
  ): Promise<void> {
    const sftp = await this.sftp();
    const tmp = `${remotePath}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await write(sftp, tmp);
      // The mode given at open is reduced by the server's umask.
      await new Promise<void>((res, rej) => sftp.chmod(tmp, mode, cb(res, rej)));
      await new Promise<void>((res, rej) =>
        sftp.ext_openssh_rename(tmp, remotePath, (err) => {
          if (!err) return res();
          // Without the OpenSSH extension plain SFTP rename is the best there is (it refuses to overwrite).
          if (/not support/i.test(err.message)) sftp.rename(tmp, remotePath, cb(res, rej));
          else rej(err);
        }),
      );
    } catch (e) {
      await new Promise<void>((res) => sftp.unlink(tmp, () => res())).catch(() => undefined);
      if (e instanceof StepError) throw e;
      throw new StepError(
        'COMMAND_FAILED',
        `upload to ${remotePath} on ${this.label} failed: ${(e as Error).message}`,
      );
    }
  }

  async upload(content: Buffer | string, remotePath: string, opts: { mode?: number } = {}): Promise<void> {
    const mode = opts.mode ?? 0o600;
    await this.atomically(
      remotePath,
      mode,
      (sftp, tmp) =>
        new Promise<void>((res, rej) => sftp.writeFile(tmp, content, { mode, flag: 'wx' }, cb(res, rej))),
    );
  }

  /** Large files: parallel SFTP writes, as fast as OpenSSH's own client on a fast link. */
  async uploadFile(localPath: string, remotePath: string, opts: { mode?: number } = {}): Promise<void> {
    const mode = opts.mode ?? 0o600;
    await this.atomically(
      remotePath,
      mode,
      (sftp, tmp) =>
        new Promise<void>((res, rej) =>
          sftp.fastPut(localPath, tmp, { concurrency: 64, mode }, cb(res, rej)),
        ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.client.once('close', () => resolve()));
    this.client.end();
    const timer = new Promise<void>((resolve) => setTimeout(resolve, KILL_GRACE_MS).unref());
    await Promise.race([closed, timer]);
    if (!this.closed) this.client.destroy();
    this.closed = true;
  }
}
