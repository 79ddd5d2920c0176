import { releaseApplyKind } from '../../shared/jobs/release-apply';
import { runnerJob } from './kind';

/** Compose targets are reached host by host over SSH; k8s targets through their API server. */
export const releaseApplyJob = runnerJob(releaseApplyKind, async (work, ctx) => {
  if (work.target.runtime_type === 'k8s') return (await import('../k8s/adapter')).applyK8s(work, ctx);
  const [{ applyCompose }, { connectHost }] = await Promise.all([
    import('../compose/adapter'),
    import('../ssh/executor'),
  ]);
  return applyCompose(work, ctx, (host) => connectHost(host));
});
