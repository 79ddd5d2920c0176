import { installVerifyKind } from '../../shared/jobs/install-verify';
import { runnerJob } from './kind';

export const installVerifyJob = runnerJob(installVerifyKind, async (work, ctx) => {
  const [{ runVerify }, { connectHost }] = await Promise.all([
    import('../install/verify'),
    import('../ssh/executor'),
  ]);
  return runVerify(work, ctx, (host) => connectHost(host));
});
