/**
 * Releases a compose file to a target's hosts, one after another in the order given, and stops
 * at the first host that fails: the hosts after it keep what they run. A rollback is an ordinary
 * release whose file is the earlier revision, so nothing here knows about rollbacks.
 * `strategy: recreate` removes the project's containers (`down`, volumes kept) after the pull and
 * before `up`; `rolling` lets `up` replace what changed while the rest keeps running.
 */
import { ComposeProject } from '../../shared/contracts/deploy';
import { FINGERPRINT, type HostAccess, type ReleaseWork } from '../../shared/jobs/claim';
import { authSecrets } from '../../shared/jobs/define';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { composeEscape } from '../../shared/releases/render';
import { redactDeep, redactingSink } from '../jobs/redact';
import { type RunContext, StepError } from '../jobs/steps';
import type { RemoteShell } from '../ssh/types';
import * as cmd from './commands';
import { dialectKey, dialects } from './dialects';
import { type HostDiagnostics, HostRun, TIMEOUTS } from './host-run';
import { imagesToPull } from './images';
import { assess, describeService, type ServiceState } from './status';

export type ComposeConnect = (host: HostAccess) => Promise<{ shell: RemoteShell; observedHostKey: string }>;
/** `pollMs`: the longest pause between two looks at the containers while waiting. */
export type ComposeOptions = { waitTimeoutMs?: number; pollMs?: number };

/** The logs kept: a few lines to show a release is alive, more to explain a failure. */
const LOGS = { success: { lines: 20, chars: 2_000 }, failure: { lines: 100, chars: 8_000 } };

/** The wait's first look after `up`; each next one waits 1.5× longer, up to `pollMs`. */
const FIRST_POLL_MS = 100;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Everything that could be a secret: the release's values and the host's own credentials. */
function secretsOf(work: ReleaseWork): string[] {
  const fromHosts = work.hosts.flatMap((h) => authSecrets(h).filter((s): s is string => Boolean(s)));
  // The file on the host holds each value as compose reads it (`$` written `$$`): mask that too.
  const escaped = work.secret_values.map(composeEscape);
  return [...work.secret_values, ...escaped, ...fromHosts].filter((s) => s.length > 0);
}

export async function applyCompose(
  work: ReleaseWork,
  ctx: RunContext,
  connect: ComposeConnect,
  opts: ComposeOptions = {},
): Promise<CompleteReport> {
  if (work.target.runtime_type !== 'compose')
    throw new Error('applyCompose got a work order for a k8s target');
  const project = ComposeProject.safeParse(work.target.compose_project);
  // The platform accepts only valid names; anything else here is a bug, not the host's doing.
  if (!project.success) throw new Error('the work order names no valid compose project');
  const secrets = secretsOf(work);
  const run: RunContext = { ...ctx, steps: redactingSink(ctx.steps, secrets) };
  const settings = { waitTimeoutMs: opts.waitTimeoutMs ?? 120_000, pollMs: opts.pollMs ?? 1_000 };

  const hosts: HostDiagnostics[] = [];
  for (const host of work.hosts) {
    const h = new HostRun(host, project.data, run, secrets);
    const error = await releaseOnHost(h, work.rendered, work.release.strategy, connect, settings);
    hosts.push(h.diag);
    if (error)
      return { status: 'failed', error_code: error.code, diagnostics: redactDeep({ hosts }, secrets) };
  }
  if (!hosts.length) {
    return {
      status: 'failed',
      error_code: 'APPLY_FAILED',
      diagnostics: { hosts, message: 'the target has no hosts' },
    };
  }
  return {
    status: 'succeeded',
    diagnostics: redactDeep({ hosts }, secrets),
    result: { hosts: hosts.map((d) => ({ host_id: d.host_id, compose: d.compose })) },
  };
}

/** The host's steps; resolves with the step error that stopped them, if one did. */
async function releaseOnHost(
  h: HostRun,
  rendered: string,
  strategy: ReleaseWork['release']['strategy'],
  connect: ComposeConnect,
  settings: { waitTimeoutMs: number; pollMs: number },
): Promise<StepError | undefined> {
  let key: string | null = null;
  try {
    const conn = await connectStep(h, connect);
    h.shell = conn.shell;
    key = dialectKey(h.host, conn.observedHostKey);
    const known = dialects.get(key);
    const detected = await h.step(
      'compose.detect',
      async () => known ?? (await h.detect()),
      (v) => ({ output: v.version, detail: { compose: v.dialect, ...(known ? { remembered: true } : {}) } }),
    );
    dialects.set(key, detected);
    h.useDialect(detected.dialect);
    const t = h.target!;
    const output = (r: { stdout: string; stderr: string }) => ({
      output: h.redact(`${r.stdout}${r.stderr}`),
    });
    await h.step(
      'compose.upload',
      () => h.upload(rendered),
      () => ({ detail: { path: t.file } }),
    );
    const images = imagesToPull(rendered);
    const pulling = images ? h.startPulls(images) : undefined;
    // `recreate` removes the running containers with `down`: the file is checked before, by a
    // command that changes nothing. The pulls start with the check, both waiting mostly on others
    // (Python starting, the registry); their outcome is read only once the file passed.
    if (strategy === 'recreate')
      await h.step(
        'compose.config',
        () => h.run(cmd.configCheck(t), 'APPLY_FAILED', TIMEOUTS.config),
        output,
      );
    const pullAndUp = async () => {
      if (pulling) {
        await h.step(
          'compose.pull',
          async () => h.pulled(await pulling),
          (pulled) => ({ output: h.redact(pulled.join('\n')), detail: { images: images!.length } }),
        );
      } else
        await h.step('compose.pull', () => h.run(cmd.pull(t), 'IMAGE_PULL_FAILED', TIMEOUTS.pull), output);
      // After the pull, so the host is without the service only for as long as `up` takes.
      if (strategy === 'recreate')
        await h.step('compose.down', () => h.run(cmd.down(t), 'APPLY_FAILED', TIMEOUTS.up), output);
      await h.step('compose.up', () => h.run(cmd.up(t), 'APPLY_FAILED', TIMEOUTS.up), output);
    };
    await (strategy === 'recreate' ? pullAndUp() : checkedIfFailed(h, pullAndUp));
    await h.step(
      'compose.wait',
      () => waitUntilRunning(h, settings),
      (services) => ({ output: services.map(describeService).join('\n') }),
    );
    await h.collect(LOGS.success.lines, LOGS.success.chars, false);
    return undefined;
  } catch (e) {
    // Whatever failed, the next release on this host asks its compose again.
    dialects.forget(key);
    if (!(e instanceof StepError)) throw e;
    h.diag.failed_step = h.failedStep;
    await h.collect(LOGS.failure.lines, LOGS.failure.chars);
    return e;
  } finally {
    await h.shell?.close().catch(() => undefined);
  }
}

/**
 * Without `down`, nothing before `up` changes a container, and compose reads and validates the
 * whole file before `pull` or `up` acts on anything: the file needs no check of its own, which
 * would cost a second compose start (docker-compose v1 starts a Python interpreter, about a
 * second). When the pull or `up` fails on the host, `config` says whether the file was why; if
 * it was, the release fails at the `compose.config` step with the check's own error, as when the
 * check ran first.
 */
async function checkedIfFailed(h: HostRun, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (e) {
    // Only a command that ran and said no; a lost connection or a stopped job is what it says.
    const refused = e instanceof StepError && (e.code === 'APPLY_FAILED' || e.code === 'IMAGE_PULL_FAILED');
    if (!refused || h.ctx.signal.aborted) throw e;
    const argv = cmd.configCheck(h.target!);
    const r = await h.exec(argv, TIMEOUTS.config, false).catch(() => undefined);
    if (!r || r.code === 0) throw e;
    await h.step('compose.config', async () => h.check(r, argv, 'APPLY_FAILED'));
    throw e;
  }
}

/** `ssh.connect`, whose success carries the host key the connection saw, for the platform to pin. */
export async function connectStep(
  h: HostRun,
  connect: ComposeConnect,
): Promise<{ shell: RemoteShell; observedHostKey: string }> {
  return h.step(
    'ssh.connect',
    async () => {
      try {
        return await connect(h.host);
      } catch (e) {
        throw h.hostError(e, 'SSH_CONNECT');
      }
    },
    (c) => (FINGERPRINT.test(c.observedHostKey) ? { observedHostKey: c.observedHostKey } : {}),
  );
}

/**
 * Polls until every container runs (and is healthy where it has a healthcheck). A container that
 * exited non-zero fails at once; one that exited cleanly, restarts or is unhealthy fails when the
 * time is up, since it may still recover; anything else still starting then is a TIMEOUT.
 */
async function waitUntilRunning(
  h: HostRun,
  { waitTimeoutMs, pollMs }: { waitTimeoutMs: number; pollMs: number },
): Promise<ServiceState[]> {
  const deadline = Date.now() + waitTimeoutMs;
  // Fast at first: a container without a healthcheck usually runs by the first or second look.
  let delay = Math.min(FIRST_POLL_MS, pollMs);
  for (;;) {
    const services = await h.services(true);
    h.diag.services = services;
    const verdict = assess(services);
    if (verdict.kind === 'ready') return services;
    const summary = h.redact(services.map(describeService).join('\n'));
    if (verdict.kind === 'crashed') {
      throw new StepError('APPLY_FAILED', h.redact(describeService(verdict.culprit)), { output: summary });
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const seconds = Math.round(waitTimeoutMs / 1000);
      if (verdict.kind === 'broken') {
        throw new StepError('APPLY_FAILED', h.redact(describeService(verdict.culprit)), { output: summary });
      }
      const message = services.length
        ? `not every container was running and healthy after ${seconds}s`
        : `the project had no containers after ${seconds}s`;
      throw new StepError('TIMEOUT', message, { output: summary });
    }
    await sleep(Math.min(delay, left), h.ctx.signal);
    delay = Math.min(pollMs, delay * 1.5);
    if (h.ctx.signal.aborted)
      throw new StepError('TIMEOUT', 'the job was stopped while waiting for containers');
  }
}
