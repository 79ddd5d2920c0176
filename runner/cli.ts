import { parseRunnerArgs } from './config';

/**
 * `npm run runner -- --api <origin> --registration-token <token> --state-dir <dir>`.
 * This build validates the runner's settings; registration, the job loop and the SSH, compose and
 * Kubernetes adapters are the runner part's work and are not in this build yet, so it says so and
 * exits non-zero instead of pretending to run jobs.
 */
try {
  const args = parseRunnerArgs(process.argv.slice(2));
  console.error(`runner settings are valid (api ${args.api}); job execution is not part of this build yet`);
  process.exit(2);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
