/**
 * One host's install, step by step. Each step after preflight leaves a marker on the host when it
 * is done, so a retried job skips what an earlier attempt finished and resumes at the step that
 * failed. Preflight always runs: it is the connection, and the host may have changed since.
 */

import type { InstallHostResult, InstallStep, InstallWork } from '../../shared/install/work';
import { fingerprintOf, HostFingerprint, INSTALL_STEPS } from '../../shared/install/work';
import { FINGERPRINT, type HostAccess } from '../../shared/jobs/claim';
import { type RunContext, runStep, StepError, type StepResult } from '../jobs/steps';
import { filesTsv, isTemplate, type LocalFile, sha256Text } from './local';
import { entryArgs, type HostPaths, hostPaths } from './paths';
import { Remote, TIMEOUTS, toStepError } from './remote';
import type { Facts, InstallConnect } from './types';

/** Step names are `<phase>.<step>.<host id>`, the same on every attempt. */
export const stepName = (phase: string, step: string, hostId: string) =>
  `${phase}.${step}.${hostId.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`.slice(0, 64);

const MARKERS_SCRIPT = `cd "$1" 2>/dev/null || exit 0
for f in *.done; do [ -f "$f" ] && printf '%s\\t%s\\n' "$f" "$(cat "$f")"; done; exit 0`;

/** How one host's install or uninstall ended; it carries the host's job, so it lives beside it. */
export type HostOutcome = {
  result: InstallHostResult;
  error?: StepError;
  failed_step?: string;
  /** k8s control plane only: a secret, never logged nor put in a step. */
  kubeconfig?: string;
  /** k8s control plane: when admin.conf's certificate expires (ISO), as kubeadm reports it. */
  certExpiresAt?: string | null;
  /** Still connected, for the VIP step that follows once every host is done. */
  job?: HostJob;
};

/**
 * Runs one host's flow: succeeded when `flow` returns, failed with its step and error when it
 * throws, and the host's connection closed either way.
 */
export async function runHostFlow<O extends HostOutcome>(
  job: HostJob,
  out: O,
  flow: () => Promise<void>,
): Promise<O> {
  try {
    await flow();
    job.result.status = 'succeeded';
  } catch (e) {
    failHost(out, job, e);
  } finally {
    await job.remote?.shell.close().catch(() => undefined);
  }
  return out;
}

/** Records on the outcome how the host failed: the step it was in and the error, masked. */
export function failHost(out: HostOutcome, job: HostJob, e: unknown) {
  const err = toStepError(e, 'APPLY_FAILED', job.secrets, job.ctx.signal);
  job.result.status = 'failed';
  job.result.error_code = err.code;
  out.error = err;
  out.failed_step = job.current;
}

export class HostJob {
  readonly paths: HostPaths;
  readonly result: InstallHostResult;
  remote?: Remote;
  current = '';

  constructor(
    readonly host: HostAccess,
    readonly work: InstallWork,
    readonly ctx: RunContext,
    readonly secrets: string[],
    readonly phase: 'install' | 'uninstall' | 'vip' | 'certs',
  ) {
    this.paths = hostPaths(work.install.options.prefix, work.bundle);
    this.result = {
      host_id: host.id,
      status: 'failed',
      already: false,
      error_code: null,
      arch: null,
      distribution: null,
      compose: null,
      endpoint: null,
      fingerprint: null,
    };
  }

  get r(): Remote {
    if (!this.remote) throw new Error('no connection: preflight first');
    return this.remote;
  }

  step<T>(step: string, fn: () => Promise<T>, result?: (v: T) => StepResult): Promise<T> {
    this.current = step;
    const guarded = async () => {
      if (this.ctx.signal.aborted) throw new StepError('TIMEOUT', 'the job was stopped before this step');
      return fn();
    };
    return runStep(this.ctx, stepName(this.phase, step, this.host.id), guarded, {
      hostId: this.host.id,
      ...(result ? { result } : {}),
    });
  }

  skip(step: string, reason: string) {
    this.ctx.steps.report({
      name: stepName(this.phase, step, this.host.id),
      attempt: this.ctx.attempt,
      status: 'skipped',
      host_id: this.host.id,
      finished_at: new Date().toISOString(),
      detail: { reason },
    });
  }

  /** Connects; the step's success carries the host key seen, for the platform to pin. */
  async connect(connect: InstallConnect, then: () => Promise<Facts | undefined>) {
    const v = await this.step(
      'preflight',
      async () => {
        let conn: Awaited<ReturnType<InstallConnect>>;
        try {
          conn = await connect(this.host);
        } catch (e) {
          throw toStepError(e, 'SSH_CONNECT', this.secrets, this.ctx.signal);
        }
        this.remote = new Remote(conn.shell, this.secrets, this.ctx.signal, this.host.name);
        return { key: conn.observedHostKey, facts: await then() };
      },
      (v) => ({
        ...(FINGERPRINT.test(v.key) ? { observedHostKey: v.key } : {}),
        ...(v.facts ? { detail: { ...v.facts } } : {}),
      }),
    );
    return v.facts;
  }

  /** Steps done by earlier attempts, with what each marker holds (post_check: the endpoint). */
  async markers(): Promise<Map<string, string>> {
    const r = await this.r.exec(['sh', '-c', MARKERS_SCRIPT, 'sh', this.paths.steps]);
    const done = new Map<string, string>();
    for (const line of r.code === 0 ? r.stdout.split('\n') : []) {
      const m = /^([a-z_]+)\.done\t?(.*)$/.exec(line);
      if (m) done.set(m[1]!, m[2]!);
    }
    return done;
  }

  /** Puts every file whose sha256 on the host differs; the state directories come first. */
  async upload(files: LocalFile[]): Promise<{ uploaded: string[]; unchanged: number }> {
    const p = this.paths;
    await this.r.mkdirs(p.list, [p.state, p.steps, p.bundle]);
    const remoteOf = (f: LocalFile) => `${p.bundle}/${f.path}`;
    const seen = await this.r.sha256(files.map(remoteOf));
    const todo = files.filter((f) => seen.get(remoteOf(f)) !== f.sha256);
    const dirs = [...new Set(todo.map((f) => remoteOf(f).replace(/\/[^/]+$/, '')))];
    if (dirs.length) await this.r.must(['mkdir', '-p', '--', ...dirs]);
    for (const f of todo) await this.r.upload({ path: f.local }, remoteOf(f), Number.parseInt(f.mode, 8));
    await this.r.upload(
      { path: '', content: Buffer.from(filesTsv(this.work.bundle)) },
      `${p.bundle}/files.tsv`,
      0o644,
    );
    return { uploaded: todo.map((f) => f.path), unchanged: files.length - todo.length };
  }

  /** sha256 on the host; a file that differs is removed, so a retry uploads it again. */
  async verify(files: { path: string; sha256: string }[]) {
    const p = this.paths;
    const all = [...files, { path: 'files.tsv', sha256: sha256Text(filesTsv(this.work.bundle)) }];
    const seen = await this.r.sha256(all.map((f) => `${p.bundle}/${f.path}`));
    const bad = all.filter((f) => seen.get(`${p.bundle}/${f.path}`) !== f.sha256).map((f) => f.path);
    if (bad.length) {
      await this.r.exec(['rm', '-f', '--', ...bad.map((b) => `${p.bundle}/${b}`)]);
      throw new StepError(
        'CHECKSUM_MISMATCH',
        `sha256 on ${this.host.name} differs from the manifest for ${bad.join(', ')}; nothing was installed`,
        { detail: { files: bad } },
      );
    }
    return all.length;
  }

  entry(which: 'install' | 'uninstall' | 'start' | 'check') {
    return `${this.paths.bundle}/${this.work.bundle.entry[which]}`;
  }

  async hook(
    which: 'install' | 'uninstall' | 'start' | 'check',
    extra: string[] = [],
    timeout = TIMEOUTS.hook,
  ) {
    const out = await this.r.must(
      [this.entry(which), ...entryArgs(this.paths), ...extra],
      'COMMAND_FAILED',
      timeout,
    );
    return this.r.redact(`${out.stdout}${out.stderr}`);
  }

  async mark(step: InstallStep | 'vip' | 'join', content = '') {
    await this.r.upload(
      { path: '', content: Buffer.from(content) },
      `${this.paths.steps}/${step}.done`,
      0o644,
    );
  }

  /**
   * What the host holds now, by path under the prefix: a copied file is recorded with the bundle's
   * sha256 (so one that did not arrive intact shows as drift at the first verify), a rendered
   * template with the sha256 of what was rendered here, which differs from the template's by design.
   */
  async installedFiles(): Promise<Record<string, string>> {
    const { root } = this.paths;
    const files = this.work.bundle.files;
    const seen = await this.r.sha256(files.filter(isTemplate).map((f) => `${root}/${f.install_to}`));
    return Object.fromEntries(
      files.map((f) => [f.install_to, (isTemplate(f) && seen.get(`${root}/${f.install_to}`)) || f.sha256]),
    );
  }

  /** The host's `fingerprint.json` as the platform keeps it; null when it is missing or unreadable. */
  async readFingerprint(): Promise<HostFingerprint | null> {
    try {
      const r = await this.r.exec(['cat', '--', this.paths.fingerprint]);
      if (r.code !== 0) return null;
      const parsed = HostFingerprint.safeParse(JSON.parse(r.stdout));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async fingerprint() {
    const doc = {
      ...fingerprintOf(this.work.bundle),
      files: await this.installedFiles(),
      endpoint: this.result.endpoint,
      installed_at: new Date().toISOString(),
    };
    const tmp = `${this.paths.state}/fingerprint.json.new`;
    await this.r.upload({ path: '', content: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`) }, tmp, 0o644);
    return this.hook('install', ['--phase', 'fingerprint']);
  }

  /** The steps after preflight, in order, honouring markers. */
  async runSteps(local: () => Promise<LocalFile[]>, role: string[]): Promise<void> {
    const done = await this.markers();
    const bundle = this.work.bundle;
    const run: Record<Exclude<InstallStep, 'preflight'>, () => Promise<StepResult & { marker?: string }>> = {
      upload: async () => {
        const u = await this.upload(await local());
        return {
          output: `uploaded ${u.uploaded.length}, unchanged ${u.unchanged}`,
          detail: { uploaded: u.uploaded },
        };
      },
      verify: async () => ({ output: `${await this.verify(bundle.files)} files match` }),
      install: async () => ({ output: await this.hook('install', ['--phase', 'files']) }),
      configure: async () => ({ output: await this.hook('install', ['--phase', 'configure']) }),
      start: async () => ({ output: await this.hook('start', role) }),
      post_check: async () => {
        const out = await this.hook('check', role, TIMEOUTS.check);
        const endpoint = /^K8SM_ENDPOINT=(\S+)$/m.exec(out)?.[1] ?? null;
        if (endpoint) this.result.endpoint = endpoint;
        return {
          output: out.replace(/^K8SM_ENDPOINT=.*\n?/m, ''),
          detail: { endpoint },
          marker: endpoint ?? '',
        };
      },
      fingerprint: async () => ({ output: await this.fingerprint() }),
    };
    for (const step of INSTALL_STEPS) {
      if (step === 'preflight') continue;
      if (done.has(step)) {
        if (step === 'post_check') this.result.endpoint = done.get(step) || null;
        this.skip(step, 'done in an earlier attempt');
        continue;
      }
      await this.step(
        step,
        async () => {
          const { marker, ...out } = await run[step]();
          await this.mark(step, marker);
          return out;
        },
        (v) => v,
      );
    }
  }
}
