import type { InstallWork } from '../../shared/install/work';
import type { HostAccess } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import type { RunContext } from '../jobs/steps';
import type { RemoteShell } from '../ssh/types';

export type InstallConnect = (host: HostAccess) => Promise<{ shell: RemoteShell; observedHostKey: string }>;

/** Placeholder signature: the install engine replaces this body. */
export async function runInstall(
  _work: InstallWork,
  _ctx: RunContext,
  _connect: InstallConnect,
  _opts: { bundleDir?: string } = {},
): Promise<CompleteReport> {
  return { status: 'failed', error_code: 'APPLY_FAILED', diagnostics: { message: 'not built yet' } };
}
