import { hostTestKind } from '../../shared/jobs/host-test';
import { runnerJob } from './kind';

export const hostTestJob = runnerJob(hostTestKind, async (work, ctx) =>
  (await import('../ssh/host-test')).testHost(work.host, ctx),
);
