/**
 * The optional control-plane VIP (`options.lvs_vip`): a task of its own (action `vip`) that the
 * platform queues once the k8s install has succeeded (the balancer is pointless before the API
 * servers answer), on the first control plane, with its own steps: `vip.preflight.<host>`
 * (connect; the VIP's format; the installed bundle's vip.sh intact), `vip.render.<host>` (the
 * keepalived.conf this host gets, rendered by vip.sh and shown whole in the step's output) and
 * `vip.vip.<host>` (IPVS, then vip.sh, which checks the configuration, starts keepalived and waits
 * for its IPVS service; up to 3 tries). A marker holding the VIP makes a retried task skip render
 * and vip; a different VIP runs them again.
 */
import { VIP_SCRIPT } from '../../shared/install/manifest';
import { VIP_FORMAT } from '../../shared/install/work';
import { StepError } from '../jobs/steps';
import { type HostJob, type HostOutcome, runHostFlow } from './host';
import { entryArgs } from './paths';
import { vipPreflight } from './preflight';
import { TIMEOUTS } from './remote';
import type { InstallConnect } from './types';

export { VIP_FORMAT, VIP_SCRIPT };
/** vip.sh's exit code for a kernel without IPVS: no retry can change that. */
export const VIP_NO_IPVS = 3;
export const VIP_RETRY = { attempts: 3, backoffMs: 2_000 };

export type VipRoute = { local: boolean; iface: string | null; src: string | null };

/** One line of `ip -o route get ADDR`: the interface toward the VIP and this host's address on it. */
export function parseRoute(out: string): VipRoute {
  return {
    local: /^local\s/.test(out),
    iface: /\sdev (\S+)/.exec(out)?.[1] ?? null,
    src: /\ssrc (\S+)/.exec(out)?.[1] ?? null,
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const vipArgv = (job: HostJob, extra: string[]) => [
  `${job.paths.bundle}/${VIP_SCRIPT}`,
  ...entryArgs(job.paths),
  ...extra,
];

/** Stops a keepalived an earlier run started; a no-op without one. */
export async function stopVip(job: HostJob): Promise<string> {
  const out = await job.r.must(vipArgv(job, ['--stop']), 'COMMAND_FAILED', TIMEOUTS.check);
  return job.r.redact(`${out.stdout}${out.stderr}`);
}

/** Where the VIP lives on this host. */
async function routeTo(job: HostJob, vip: string): Promise<{ iface: string; src: string }> {
  const addr = vip.replace(/\/\d+$/, '');
  const get = async () => parseRoute((await job.r.must(['ip', '-o', 'route', 'get', addr])).stdout);
  let route = await get();
  if (route.local) {
    // This host holds the VIP already (a keepalived left by an earlier run): the route then points
    // at `lo`. keepalived releases the VIP when it stops, and vip.sh restarts it anyway.
    await stopVip(job);
    route = await get();
  }
  if (route.local || !route.iface || !route.src) {
    throw new StepError(
      'COMMAND_FAILED',
      route.local
        ? `${vip} is an address of ${job.host.name} itself; the VIP must be an unused address`
        : `no interface of ${job.host.name} routes to the VIP ${vip}`,
      { detail: { vip } },
    );
  }
  return { iface: route.iface, src: route.src };
}

type Placement = { vip: string; iface: string; realServers: string[] };

/** Where the VIP goes on this host, and the keepalived.conf vip.sh renders for it, shown whole. */
export async function renderStep(job: HostJob, vip: string): Promise<Placement> {
  const out = await job.step(
    'render',
    async () => {
      const { iface, src } = await routeTo(job, vip);
      // The task runs on the first control plane, which balances to itself.
      const placement = { vip, iface, realServers: [src] };
      const file = `${job.paths.state}/keepalived.conf.rendered`;
      try {
        await job.r.must(
          vipArgv(job, [...placementArgs(placement), '--render-only', file]),
          'COMMAND_FAILED',
        );
        const conf = await job.r.must(['cat', '--', file]);
        return { placement, conf: job.r.redact(conf.stdout) };
      } finally {
        await job.r.exec(['rm', '-f', '--', file]).catch(() => undefined);
      }
    },
    (v) => ({
      output: v.conf,
      detail: { vip, interface: v.placement.iface, real_servers: v.placement.realServers },
    }),
  );
  return out.placement;
}

const placementArgs = (p: Placement) => [
  '--vip',
  p.vip,
  '--interface',
  p.iface,
  '--real-servers',
  p.realServers.join(','),
];

/** One host of a VIP task: preflight, render, vip; the connection is closed whatever happens. */
export async function runVipHost(
  job: HostJob,
  connect: InstallConnect,
  retry = VIP_RETRY,
): Promise<HostOutcome> {
  const out: HostOutcome = { result: job.result };
  const vip = job.work.install.options.lvs_vip;
  return runHostFlow(job, out, async () => {
    await job.connect(connect, async () => {
      if (!vip) throw new StepError('VALIDATION_FAILED', 'a VIP task needs options.lvs_vip');
      await vipPreflight(job.r, job.work.bundle, vip, {}, false);
      const script = job.work.bundle.files.find((f) => f.path === VIP_SCRIPT)!;
      const seen = await job.r.sha256([`${job.paths.bundle}/${VIP_SCRIPT}`]);
      if (seen.get(`${job.paths.bundle}/${VIP_SCRIPT}`) !== script.sha256)
        throw new StepError(
          'BUNDLE_MISSING',
          `${job.host.name} has no intact ${VIP_SCRIPT} of ${job.paths.name}: install the cluster first`,
        );
      return undefined;
    });
    if ((await job.markers()).get('vip') === vip) {
      job.skip('render', 'done in an earlier attempt');
      job.skip('vip', 'done in an earlier attempt');
    } else {
      await vipStep(job, await renderStep(job, vip!), retry);
    }
  });
}

export async function vipStep(job: HostJob, placement: Placement, retry = VIP_RETRY): Promise<void> {
  const { vip } = placement;
  await job.step(
    'vip',
    async () => {
      if ((await job.r.exec(['test', '-e', '/proc/net/ip_vs'])).code !== 0)
        throw new StepError(
          'PREFLIGHT_IPVS',
          `the kernel of ${job.host.name} has no IPVS (/proc/net/ip_vs is absent); the VIP ${vip} needs it`,
          { detail: { vip } },
        );
      const realServers = placement.realServers;
      const argv = vipArgv(job, placementArgs(placement));
      const detail = { vip, interface: placement.iface, real_servers: realServers };
      let last = { code: null as number | null, output: '' };
      for (let tries = 1; tries <= retry.attempts; tries++) {
        if (tries > 1) await sleep(retry.backoffMs, job.ctx.signal);
        if (job.ctx.signal.aborted) throw new StepError('TIMEOUT', 'the job was stopped before vip.sh ran');
        const r = await job.r.exec(argv, TIMEOUTS.check);
        const output = job.r.redact(`${r.stdout}${r.stderr}`);
        if (r.code === 0) {
          await job.mark('vip', vip);
          return { output, detail: { ...detail, tries } };
        }
        last = { code: r.code, output };
        if (r.code === VIP_NO_IPVS) {
          throw new StepError(
            'PREFLIGHT_IPVS',
            `the kernel of ${job.host.name} has no IPVS; the VIP ${vip} needs it`,
            {
              output,
              detail: { ...detail, tries, exit_code: r.code },
            },
          );
        }
      }
      const why = last.output.trim().split('\n').pop() ?? '';
      throw new StepError(
        'COMMAND_FAILED',
        `vip.sh failed ${retry.attempts} times on ${job.host.name}: ${why}`.slice(0, 600),
        { output: last.output, detail: { ...detail, tries: retry.attempts, exit_code: last.code } },
      );
    },
    (v) => v,
  );
}
