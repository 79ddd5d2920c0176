import type { HostAccess, WorkOrder } from '../shared/jobs/claim';
import type { CompleteReport } from '../shared/jobs/kinds';
import { applyCompose } from './compose/adapter';
import { runInstall } from './install/installer';
import type { RunContext } from './jobs/steps';
import { applyK8s } from './k8s/adapter';
import { testCluster } from './k8s/cluster-test';
import { connectHost } from './ssh/executor';
import { testHost } from './ssh/host-test';

/**
 * What runs a work order. The loop takes it as a parameter, so the loop can be exercised without
 * SSH, Docker or a cluster; the CLI passes `defaultExecutor`.
 */
export type Executor = (work: WorkOrder, ctx: RunContext) => Promise<CompleteReport>;

export type ExecutorOptions = {
  /** Where install bundles are read from; unset: see `defaultBundleDir`. */
  bundleDir?: string;
};

export const executorWith =
  (opts: ExecutorOptions = {}): Executor =>
  async (work, ctx) => {
    switch (work.kind) {
      case 'release_apply':
        return work.target.runtime_type === 'compose'
          ? applyCompose(work, ctx, (host: HostAccess) => connectHost(host))
          : applyK8s(work, ctx);
      case 'host_test':
        return testHost(work.host, ctx);
      case 'cluster_test':
        return testCluster(work.cluster, ctx);
      case 'environment_install':
        return runInstall(work, ctx, (host: HostAccess) => connectHost(host), {
          ...(opts.bundleDir ? { bundleDir: opts.bundleDir } : {}),
        });
    }
  };

export const defaultExecutor: Executor = executorWith();
