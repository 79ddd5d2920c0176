import { clusterTestJob } from './cluster-test';
import { environmentInstallJob } from './environment-install';
import { hostTestJob } from './host-test';
import { installVerifyJob } from './install-verify';
import type { RunnerJobKind } from './kind';
import { releaseApplyJob } from './release-apply';
import { targetStatusJob } from './target-status';

/** Every kind this runner executes: the one list on the runner's side. */
export const RUNNER_JOB_KINDS: readonly RunnerJobKind[] = [
  releaseApplyJob,
  hostTestJob,
  clusterTestJob,
  environmentInstallJob,
  targetStatusJob,
  installVerifyJob,
];
