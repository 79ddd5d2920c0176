import { targetStatusKind } from '../../shared/jobs/target-status';
import { runnerJob } from './kind';

/** A k8s target is read through its API server, a compose target host by host over SSH. */
export const targetStatusJob = runnerJob(targetStatusKind, async (work, ctx) => {
  if (work.target.runtime_type === 'k8s') return (await import('../status/k8s')).readK8sStatus(work, ctx);
  const [{ readComposeStatus }, { connectHost }] = await Promise.all([
    import('../status/compose'),
    import('../ssh/executor'),
  ]);
  return readComposeStatus(work, ctx, (host) => connectHost(host));
});
