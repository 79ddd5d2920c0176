/**
 * The optional control-plane VIP (`options.lvs_vip`): the last step of a k8s install on each
 * control plane, `install.vip.<host_id>`, run once every host of the job has succeeded (the
 * balancer is pointless before the API servers answer). It runs the bundle's `vip.sh`, which
 * renders and checks keepalived.conf, starts keepalived and waits for its IPVS service. A marker
 * holding the VIP makes a retried job skip it; a different VIP runs it again.
 */
import { VIP_SCRIPT } from '../../shared/install/manifest';
import { StepError } from '../jobs/steps';
import type { HostJob } from './host';
import { entryArgs } from './paths';
import { TIMEOUTS } from './remote';

export { VIP_SCRIPT };
/** vip.sh's exit code for a kernel without IPVS: no retry can change that. */
export const VIP_NO_IPVS = 3;
export const VIP_RETRY = { attempts: 3, backoffMs: 2_000 };

/** `ADDRESS/PREFIXLEN`, IPv4 or IPv6: what keepalived's virtual_ipaddress takes. */
export const VIP_FORMAT = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*\/\d{1,3})$/;

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

export async function vipStep(job: HostJob, vip: string, retry = VIP_RETRY): Promise<void> {
  // Reading the markers can fail too, and that failure belongs to this step.
  job.current = 'vip';
  if ((await job.markers()).get('vip') === vip) {
    job.skip('vip', 'done in an earlier attempt');
    return;
  }
  await job.step(
    'vip',
    async () => {
      const { iface, src } = await routeTo(job, vip);
      // The first host is the only control plane, so it balances to itself; joined control
      // planes would be listed here too.
      const realServers = [src];
      const argv = vipArgv(job, [
        '--vip',
        vip,
        '--interface',
        iface,
        '--real-servers',
        realServers.join(','),
      ]);
      const detail = { vip, interface: iface, real_servers: realServers };
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
