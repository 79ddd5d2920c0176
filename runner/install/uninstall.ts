/**
 * Undoing a host's install: the entry scripts go back on the host when they are not there (a host
 * whose install stopped early), the runtime is stopped, and the uninstall entry removes what the
 * installed-list records and restores what install replaced. The bundle's binaries are not
 * needed for that and are not uploaded.
 */
import { type HostJob, type HostOutcome, runHostFlow } from './host';
import { isHook, type LocalFile } from './local';
import type { InstallConnect } from './types';
import { stopVip, VIP_SCRIPT } from './vip';

export async function uninstallHost(
  job: HostJob,
  connect: InstallConnect,
  local: () => Promise<LocalFile[]>,
): Promise<HostOutcome> {
  const out: HostOutcome = { result: job.result };
  return runHostFlow(job, out, async () => {
    await job.connect(connect, async () => undefined);
    const hooks = job.work.bundle.files.filter(isHook);
    const p = job.paths;
    const present = await job.r.sha256(hooks.map((f) => `${p.bundle}/${f.path}`));
    if (hooks.some((f) => present.get(`${p.bundle}/${f.path}`) !== f.sha256)) {
      await job.step(
        'upload',
        async () => {
          const u = await job.upload((await local()).filter(isHook));
          await job.verify(hooks);
          return u;
        },
        (u) => ({ output: `uploaded ${u.uploaded.length} entry scripts` }),
      );
    } else {
      job.skip('upload', 'the entry scripts are on the host');
    }
    const role = job.work.bundle.runtime === 'k8s' ? ['--role', 'control-plane'] : [];
    // keepalived first: the VIP must not point at an API server that is going away.
    const vip = job.work.bundle.files.some((f) => f.path === VIP_SCRIPT);
    await job.step(
      'stop',
      async () => `${vip ? await stopVip(job) : ''}${await job.hook('start', [...role, '--stop'])}`,
      (o) => ({ output: o }),
    );
    await job.step(
      'remove',
      () => job.hook('uninstall'),
      (o) => ({ output: o }),
    );
  });
}
