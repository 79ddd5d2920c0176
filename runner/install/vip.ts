/**
 * The optional control-plane VIP (`options.lvs_vip`): a task of its own (action `vip`) that the
 * platform queues once the k8s install has succeeded (the balancer is pointless before the API
 * servers answer), on the first control plane, with its own steps: `vip.preflight.<host>`
 * (connect; the VIP's format; the installed bundle's vip.sh, keepalived and ipvsadm intact),
 * `vip.render.<host>` (the keepalived.conf this host gets, rendered by vip.sh, checked by the
 * bundle's `keepalived --config-test` and shown whole in the step's output) and
 * `vip.vip.<host>` (IPVS, then vip.sh, which checks the configuration, starts keepalived and waits
 * for its IPVS service; up to 3 tries). A marker holding the VIP makes a retried task skip render
 * and vip; a different VIP runs them again.
 */
import { VIP_SCRIPT } from '../../shared/install/manifest';
import { VIP_FORMAT } from '../../shared/install/work';
import { StepError } from '../jobs/steps';
import { type HostJob, type HostOutcome, runHostFlow } from './host';
import { buildCommand, installable } from './local';
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

/**
 * keepalived and ipvsadm as the install put them under the prefix, with their libraries. A cluster
 * installed from a runner whose bundle had not built them has none: say how to get them there.
 */
async function checkVipTools(job: HostJob, bundleDir?: string) {
  const needs = job.work.bundle.source['vip:glibc'];
  if (needs) {
    const out = (await job.r.exec(['getconf', 'GNU_LIBC_VERSION'])).stdout.trim();
    const has = /^glibc (\d+)\.(\d+)/.exec(out);
    const [a, b] = needs.split('.').map(Number);
    if (!has || Number(has[1]) < a! || (Number(has[1]) === a && Number(has[2]) < b!))
      throw new StepError(
        'PREFLIGHT_OS',
        `the VIP's keepalived and ipvsadm need glibc ${needs} or newer; ${job.host.name} has ${out || 'no glibc getconf reports'}`,
        { detail: { needs_glibc: needs, host_glibc: out } },
      );
  }
  const tools = job.work.bundle.files.filter((f) => f.vip_only);
  const at = (f: { install_to: string }) => `${job.paths.root}/${f.install_to}`;
  const seen = await job.r.sha256(tools.map(at));
  const absent = tools.filter((f) => seen.get(at(f)) !== f.sha256).map((f) => f.install_to);
  if (!absent.length) return;
  const unbuilt = bundleDir ? (await installable(job.work.bundle, bundleDir)).notBuilt.length > 0 : false;
  const name = `${job.work.bundle.runtime} ${job.work.bundle.version}`;
  throw new StepError(
    'BUNDLE_MISSING',
    unbuilt
      ? `the runner's bundle has not built the VIP's keepalived and ipvsadm for ${name}: run ${buildCommand(job.work.bundle)} where the runner is, then uninstall and install the cluster again`
      : `${job.host.name} lacks the VIP's keepalived and ipvsadm of ${name} (its install predates them or they changed): uninstall and install the cluster again`,
    { detail: { missing: absent.slice(0, 20), missing_count: absent.length } },
  );
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
        // vip.sh checks it with the installed bundle's keepalived and says which one that was.
        const checked = await job.r.must(
          vipArgv(job, [...placementArgs(placement), '--render-only', file]),
          'COMMAND_FAILED',
        );
        const conf = await job.r.must(['cat', '--', file]);
        return { placement, conf: job.r.redact(`${conf.stdout}\n${checked.stdout}${checked.stderr}`) };
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
  bundleDir?: string,
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
      await checkVipTools(job, bundleDir);
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
