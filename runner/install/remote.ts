/**
 * Commands on an install host. Values only ever travel as arguments (never inside script text),
 * and everything a command prints is redacted before it can reach a step.
 */
import type { ErrorCode } from '../../shared/errors';
import { redact, redactDeep } from '../jobs/redact';
import { StepError, tail } from '../jobs/steps';
import type { ExecResult, RemoteShell } from '../ssh/types';

export const TIMEOUTS = { probe: 30_000, hook: 600_000, check: 180_000 };
const MESSAGE_MAX = 600;

/**
 * `mkdir` of every missing component of each directory, appending `dir PATH` lines to the
 * installed-list (first argument; its directory must be among the others) so uninstall removes
 * exactly the directories the install created. Paths hold no blanks: the prefix is validated.
 */
export const MKDIRS_SCRIPT = `set -euf
list=$1; shift
created=
for d in "$@"; do
  chain=
  p=$d
  while [ ! -d "$p" ]; do chain="$p $chain"; p=$(dirname "$p"); done
  for c in $chain; do mkdir "$c"; created="$created $c"; done
done
for c in $created; do printf 'dir %s\\n' "$c" >>"$list"; done`;

/** The nearest existing directory at or above the prefix, and its free space. */
export const DF_SCRIPT = `set -eu
p=$1
while [ ! -d "$p" ]; do p=$(dirname "$p"); done
df -Pk "$p"`;

export class Remote {
  constructor(
    readonly shell: RemoteShell,
    readonly secrets: string[],
    readonly signal: AbortSignal,
    readonly where: string,
  ) {}

  redact = (text: string) => redact(text, this.secrets);

  async exec(argv: string[], timeoutMs = TIMEOUTS.probe, stdin?: string): Promise<ExecResult> {
    try {
      return await this.shell.exec(argv, {
        timeoutMs,
        signal: this.signal,
        ...(stdin === undefined ? {} : { stdin }),
      });
    } catch (e) {
      throw this.error(e, 'COMMAND_FAILED');
    }
  }

  /** A command that must exit 0; otherwise the step fails with `code` and the output's tail. */
  async must(argv: string[], code: ErrorCode = 'COMMAND_FAILED', timeoutMs = TIMEOUTS.probe) {
    const r = await this.exec(argv, timeoutMs);
    if (r.code === 0) return r;
    const out = this.redact(`${r.stdout}${r.stderr}`);
    const last =
      this.redact(r.stderr.trim() || r.stdout.trim())
        .split('\n')
        .pop() ?? '';
    const why = r.code === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.code}`;
    throw new StepError(
      code,
      `${argv.slice(0, 2).join(' ')} ${why} on ${this.where}: ${last}`.slice(0, MESSAGE_MAX),
      {
        output: tail(out),
        detail: { exit_code: r.code },
      },
    );
  }

  async mkdirs(list: string, dirs: string[]) {
    await this.must(['sh', '-c', MKDIRS_SCRIPT, 'sh', list, ...dirs]);
  }

  async upload(local: { path: string; content?: Buffer }, remote: string, mode: number) {
    const shell = this.shell as RemoteShell & {
      uploadFile?: (l: string, r: string, o: { mode: number }) => Promise<void>;
    };
    try {
      if (local.content) await shell.upload(local.content, remote, { mode });
      else if (typeof shell.uploadFile === 'function') await shell.uploadFile(local.path, remote, { mode });
      else {
        const { readFile } = await import('node:fs/promises');
        await shell.upload(await readFile(local.path), remote, { mode });
      }
    } catch (e) {
      throw this.error(e, 'COMMAND_FAILED');
    }
  }

  /** sha256 of each existing file among `paths`; missing ones are absent from the map. */
  async sha256(paths: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!paths.length) return out;
    const r = await this.exec(['sha256sum', '--', ...paths], TIMEOUTS.check);
    for (const line of r.stdout.split('\n')) {
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (m) out.set(m[2]!, m[1]!);
    }
    return out;
  }

  error(e: unknown, fallback: ErrorCode): StepError {
    return toStepError(e, fallback, this.secrets, this.signal);
  }
}

/** Any failure as a step error whose message and output are redacted. */
export function toStepError(
  e: unknown,
  fallback: ErrorCode,
  secrets: string[],
  signal: AbortSignal,
): StepError {
  if (signal.aborted && !(e instanceof StepError)) {
    return new StepError('TIMEOUT', 'the job was stopped while a command ran');
  }
  const message = redact(e instanceof Error ? e.message : String(e), secrets).slice(0, MESSAGE_MAX);
  if (!(e instanceof StepError)) return new StepError(fallback, message);
  return new StepError(e.code, message, {
    ...(e.extra.output === undefined ? {} : { output: redact(e.extra.output, secrets) }),
    ...(e.extra.detail ? { detail: redactDeep(e.extra.detail, secrets) } : {}),
  });
}
