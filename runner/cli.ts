import { hostname } from 'node:os';
import { ApiProblem, NetworkError, RunnerClient } from './client';
import { parseRunnerArgs } from './config';
import { executorOf } from './dispatch';
import { RUNNER_JOB_KINDS } from './jobs';
import { errorFields, Logger } from './log';
import { startLoop } from './loop';
import { ensureIdentity, StateError } from './state';

/**
 * `npm run runner -- --api <origin> --state-dir <dir> [--registration-token <token>]
 *   [--concurrency N] [--once] [--name NAME] [--labels k=v,k=v] [--grace-seconds N]
 *   [--bundle-dir DIR]`
 *
 * `--bundle-dir`: the install bundles (`script/` layout, docs/install.md), relative to the working
 * directory; by default a `script/` beside the runner's file, else the checkout's `script/`, else
 * `./script`.
 *
 * Exit codes: 0 stopped cleanly (SIGTERM/SIGINT after running jobs finished or were aborted at
 * the end of the grace period), or with --once: no job was waiting, or the claimed job ran and its
 * completion reached the platform (whether the job itself succeeded is recorded there, not here);
 * 1 bad arguments, unusable state directory, failed registration, or with --once a completion
 * that could not be delivered; 3 the platform refused the runner token (revoked or rotated).
 * A second signal exits at once with 1; the platform re-takes those jobs when their leases end.
 */
const RUNNER_VERSION = '0.1.0';

const EXIT = { ok: 0, fatal: 1, refused: 3 } as const;

async function main(argv: string[]): Promise<number> {
  const log = new Logger();
  let args: ReturnType<typeof parseRunnerArgs>;
  try {
    args = parseRunnerArgs(argv);
  } catch (e) {
    log.error('invalid arguments', errorFields(e));
    return EXIT.fatal;
  }
  log.redactor.add(args.registrationToken);
  const client = new RunnerClient({ api: args.api, userAgent: `k8s-manage-runner/${RUNNER_VERSION}` });

  let state: Awaited<ReturnType<typeof ensureIdentity>>;
  try {
    state = await ensureIdentity({
      dir: args.stateDir,
      api: args.api,
      registrationToken: args.registrationToken,
      name: args.name ?? hostname(),
      labels: args.labels,
      version: RUNNER_VERSION,
      register: (body) => client.register(body),
      log,
    });
  } catch (e) {
    if (e instanceof StateError) log.error(e.message);
    else if (e instanceof ApiProblem)
      log.error('registration refused', { status: e.status, code: e.code, err: e.message });
    else if (e instanceof NetworkError)
      log.error('the platform could not be reached to register', errorFields(e));
    else log.error('could not start', errorFields(e));
    return EXIT.fatal;
  }
  client.setToken(state.identity.runner_token);
  log.info('runner started', {
    runner_id: state.identity.runner_id,
    api: state.identity.api,
    concurrency: args.concurrency,
    once: args.once,
  });

  const loop = startLoop({
    api: client,
    privateKey: state.privateKey,
    executor: executorOf(RUNNER_JOB_KINDS, args.bundleDir ? { bundleDir: args.bundleDir } : {}),
    log,
    concurrency: args.concurrency,
    once: args.once,
    graceMs: args.graceSeconds * 1000,
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn('second signal; exiting now', { signal: sig, running: loop.active });
      process.exit(EXIT.fatal);
    }
    log.info('signal received; finishing running jobs', { signal: sig, grace_seconds: args.graceSeconds });
    loop.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const result = await loop.done;
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    new Logger().error('runner crashed', errorFields(e));
    process.exit(EXIT.fatal);
  },
);
