/**
 * One release on one host: the commands, how their failures become step errors, and what the
 * host's diagnostics collect. Everything that can carry a secret passes through `redact` before it
 * is cut to its tail (a secret cut in half would no longer be found).
 */

import type { ErrorCode } from '../../shared/errors';
import type { HostAccess } from '../../shared/jobs/claim';
import { redact, redactDeep } from '../jobs/redact';
import { type RunContext, runStep, StepError, type StepResult, tail } from '../jobs/steps';
import type { ExecResult, RemoteShell } from '../ssh/types';
import * as cmd from './commands';
import { type ComposeDialect, type ComposeTarget, composeFile } from './commands';
import { pinnedByDigest } from './images';
import { parseInspect, type ServiceState } from './status';

export type HostDiagnostics = {
  host_id: string;
  /** null: the host was not reached, or has no compose. */
  compose: ComposeDialect | null;
  failed_step?: string;
  failed_command?: string;
  exit_code?: number | null;
  stderr_tail?: string;
  services: ServiceState[];
  logs_tail?: string;
};

export type PullOutcome = { argv: string[] } & ({ skipped: true } | { r: ExecResult } | { error: unknown });

export const TIMEOUTS = {
  probe: 30_000,
  config: 60_000,
  pull: 600_000,
  up: 600_000,
  ps: 60_000,
  logs: 30_000,
};
const STDERR_TAIL = 4_000;
const MESSAGE_MAX = 600;

/** Step names are `<step>.<host id>`: the same on every attempt, so a retry updates its own rows. */
export const stepName = (step: string, hostId: string) =>
  `${step}.${hostId.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`.slice(0, 64);

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? '';

/** A command as a message names it: without the project and file every compose command repeats. */
const label = (argv: string[]) =>
  argv
    .filter((a, i) => a !== '-p' && a !== '-f' && argv[i - 1] !== '-p' && argv[i - 1] !== '-f')
    .slice(0, 3)
    .join(' ');

export class HostRun {
  readonly diag: HostDiagnostics;
  shell: RemoteShell | undefined;
  target: ComposeTarget | undefined;
  private current = '';
  /** A failure inside a step that is not the host's doing: re-thrown once the step is reported. */
  private bug: unknown;

  constructor(
    readonly host: HostAccess,
    readonly project: string,
    readonly ctx: RunContext,
    readonly secrets: readonly string[],
  ) {
    this.diag = { host_id: host.id, compose: null, services: [] };
  }

  get failedStep() {
    return this.current;
  }

  redact = (text: string) => redact(text, this.secrets);

  async step<T>(step: string, fn: () => Promise<T>, result?: (value: T) => StepResult): Promise<T> {
    this.current = step;
    const guarded = async () => {
      if (this.ctx.signal.aborted) throw new StepError('TIMEOUT', 'the job was stopped before this step');
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof StepError)) this.bug = e;
        throw e;
      }
    };
    try {
      return await runStep(this.ctx, stepName(step, this.host.id), guarded, {
        hostId: this.host.id,
        ...(result ? { result } : {}),
      });
    } catch (e) {
      if (this.bug !== undefined) throw this.bug;
      throw e;
    }
  }

  /**
   * Runs a command; only a shell that could not run it at all (connection, timeout) throws.
   * `record`: a failure is the host's failure (not a best-effort look for the diagnostics).
   */
  async exec(argv: string[], timeoutMs: number, record = true): Promise<ExecResult> {
    const shell = this.shell;
    if (!shell) throw new Error('no shell: connect first');
    try {
      return await shell.exec(argv, { timeoutMs, signal: this.ctx.signal });
    } catch (e) {
      if (record) this.diag.failed_command = this.redact(argv.join(' '));
      throw this.hostError(e, 'COMMAND_FAILED');
    }
  }

  /** Runs a command that must succeed; a non-zero exit fails the step with `code`. */
  async run(argv: string[], code: ErrorCode, timeoutMs: number): Promise<ExecResult> {
    return this.check(await this.exec(argv, timeoutMs), argv, code);
  }

  check(r: ExecResult, argv: string[], code: ErrorCode): ExecResult {
    if (r.code === 0) return r;
    this.diag.failed_command = this.redact(argv.join(' '));
    this.diag.exit_code = r.code;
    const stderr = this.redact(r.stderr.trim() ? r.stderr : r.stdout);
    this.diag.stderr_tail = tail(stderr, STDERR_TAIL);
    const why = r.code === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.code}`;
    throw new StepError(code, `${label(argv)} ${why}: ${lastLine(stderr)}`.slice(0, MESSAGE_MAX), {
      output: this.redact(`${r.stdout}${r.stderr}`),
      detail: { command: this.diag.failed_command, exit_code: r.code },
    });
  }

  /** An error thrown by the shell or the connection, as a step error with a redacted message. */
  hostError(e: unknown, fallback: ErrorCode): StepError {
    if (this.ctx.signal.aborted && !(e instanceof StepError)) {
      return new StepError('TIMEOUT', 'the job was stopped while a command ran');
    }
    const message = this.redact(e instanceof Error ? e.message : String(e)).slice(0, MESSAGE_MAX);
    if (!(e instanceof StepError)) return new StepError(fallback, message);
    return new StepError(e.code, message, {
      ...(e.extra.output === undefined ? {} : { output: this.redact(e.extra.output) }),
      // The executor's detail (a host key mismatch names both fingerprints) reaches the step too.
      ...(e.extra.detail ? { detail: redactDeep(e.extra.detail, this.secrets) } : {}),
    });
  }

  async detect(): Promise<{ dialect: ComposeDialect; version: string }> {
    const tried: string[] = [];
    for (const dialect of ['v2', 'v1'] as const) {
      const argv = cmd.versionProbe(dialect);
      const r = await this.exec(argv, TIMEOUTS.probe);
      if (r.code === 0) return { dialect, version: this.redact(lastLine(r.stdout.split('\n')[0] ?? '')) };
      tried.push(
        this.redact(`${argv.join(' ')}: ${lastLine(r.stderr || r.stdout) || `exit code ${r.code}`}`),
      );
      this.diag.exit_code = r.code;
    }
    this.diag.failed_command = 'docker compose version || docker-compose version';
    this.diag.stderr_tail = tail(tried.join('\n'), STDERR_TAIL);
    throw new StepError(
      'COMPOSE_NOT_FOUND',
      'neither `docker compose` nor `docker-compose` runs on this host',
      {
        output: tried.join('\n'),
      },
    );
  }

  useDialect(dialect: ComposeDialect) {
    this.diag.compose = dialect;
    this.target = { dialect, project: this.project, file: composeFile(this.project) };
  }

  async upload(rendered: string) {
    await this.run(cmd.makeDir(this.project), 'COMMAND_FAILED', TIMEOUTS.probe);
    const file = composeFile(this.project);
    try {
      // 0600: the file holds the release's secret values in clear.
      await this.shell!.upload(rendered, file, { mode: 0o600 });
    } catch (e) {
      this.diag.failed_command = `upload ${file}`;
      throw this.hostError(e, 'COMMAND_FAILED');
    }
  }

  /**
   * The project's containers, through the docker CLI for either dialect (commands.containers);
   * `must`: a failing listing fails the step (else it reads as none).
   */
  async services(must: boolean): Promise<ServiceState[]> {
    const argv = cmd.containers(this.project);
    const r = await this.exec(argv, TIMEOUTS.ps, must);
    // A container removed between the listing and inspect makes inspect exit 1; the others still print.
    if (r.code !== 0 && !r.stdout.trim()) {
      if (must) this.check(r, argv, 'COMMAND_FAILED');
      return [];
    }
    try {
      return parseInspect(r.stdout);
    } catch {
      throw new StepError('COMMAND_FAILED', 'the container listing was not the JSON expected');
    }
  }

  /**
   * Starts pulling each image with the docker CLI, all at once; an image pinned by digest that the
   * engine has is skipped. Never rejects and records nothing: the pulls run ahead of their step,
   * and only `pulled` (in the step) makes their outcome the host's.
   */
  startPulls(images: string[]): Promise<PullOutcome[]> {
    const one = async (image: string): Promise<PullOutcome> => {
      const argv = cmd.pullImage(image);
      try {
        if (pinnedByDigest(image) && (await this.exec(cmd.hasImage(image), TIMEOUTS.probe, false)).code === 0)
          return { argv, skipped: true };
        return { argv, r: await this.exec(argv, TIMEOUTS.pull, false) };
      } catch (e) {
        return { argv, error: e };
      }
    };
    return Promise.all(images.map(one));
  }

  /** The pulls' outcome: the images pulled, or the first failure as IMAGE_PULL_FAILED. */
  pulled(outcomes: PullOutcome[]): string[] {
    for (const o of outcomes) {
      if ('error' in o) {
        this.diag.failed_command = this.redact(o.argv.join(' '));
        throw o.error;
      }
      if ('r' in o) this.check(o.r, o.argv, 'IMAGE_PULL_FAILED');
    }
    return outcomes.filter((o) => 'r' in o).map((o) => o.argv[o.argv.length - 1]!);
  }

  /**
   * Best effort, for the diagnostics: what runs now and the end of each container's logs. `list`:
   * false when the services were listed a moment ago.
   */
  async collect(logLines: number, logChars: number, list = true) {
    if (!this.shell || !this.target) return;
    try {
      if (list) this.diag.services = await this.services(false);
    } catch {
      // The diagnostics keep what the last successful listing saw.
    }
    const names = this.diag.services.map((c) => c.container).filter(Boolean);
    if (!names.length) return;
    try {
      const r = await this.exec(cmd.containerLogs(names, logLines), TIMEOUTS.logs, false);
      const text = this.redact(`${r.stdout}${r.stderr}`).trim();
      if (text) this.diag.logs_tail = tail(text, logChars);
    } catch {
      // No logs is no reason to hide the failure they would have explained.
    }
  }
}
