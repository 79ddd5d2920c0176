import { environmentInstallKind } from '../../shared/jobs/environment-install';
import { runnerJob } from './kind';

export const environmentInstallJob = runnerJob(environmentInstallKind, async (work, ctx, opts) => {
  const [{ runInstall }, { connectHost }] = await Promise.all([
    import('../install/installer'),
    import('../ssh/executor'),
  ]);
  return runInstall(work, ctx, (host) => connectHost(host), {
    ...(opts.bundleDir ? { bundleDir: opts.bundleDir } : {}),
  });
});
