/**
 * What a host is, read before anything on it changes: architecture and distribution against the
 * manifest's platforms, an existing fingerprint of this version, free disk under the prefix, the
 * bundle's ports, which compose it will use (compose) and, for k8s with a VIP, its format and hook.
 */
import { type BundleEntry, VIP_SCRIPT } from '../../shared/install/manifest';
import { type InstallOptions, VIP_FORMAT } from '../../shared/install/work';
import { StepError } from '../jobs/steps';
import type { HostPaths } from './paths';
import { DF_SCRIPT, type Remote } from './remote';
import type { Facts } from './types';

const ARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64' };

export function distributionOf(osRelease: string): string {
  const field = (k: string) => {
    const m = new RegExp(`^${k}=(.*)$`, 'm').exec(osRelease);
    return (m?.[1] ?? '').trim().replace(/^["']|["']$/g, '');
  };
  return `${field('ID')}-${field('VERSION_ID')}`.toLowerCase();
}

/** Ports in LISTEN state, from /proc/net/tcp{,6} (no `ss` or `netstat` needed). */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === '0A' && cols[1]?.includes(':')) ports.add(Number.parseInt(cols[1].split(':')[1]!, 16));
  }
  return ports;
}

/** The bundle brings the v2 plugin when one of its files lands where docker looks for plugins. */
const shipsComposePlugin = (b: BundleEntry) =>
  b.files.some((f) => /(^|\/)cli-plugins\/docker-compose$/.test(f.install_to));

export async function preflight(
  r: Remote,
  bundle: BundleEntry,
  options: InstallOptions,
  paths: HostPaths,
): Promise<Facts> {
  const uname = await r.must(['uname', '-m']);
  const machine = uname.stdout.trim();
  const arch = ARCH[machine] ?? machine;
  const osr = await r.exec(['cat', '/etc/os-release']);
  const distribution = osr.code === 0 ? distributionOf(osr.stdout) : 'unknown';
  const facts: Facts = {
    arch,
    distribution,
    already: false,
    compose: null,
    disk_free_mb: null,
    endpoint: null,
  };
  const platforms = bundle.platforms.filter((p) => p.arch === arch);
  const supported = bundle.platforms.map((p) => p.arch).join(', ');
  if (!platforms.length) {
    throw new StepError('PREFLIGHT_ARCH', `${r.where} is ${machine}; the bundle supports ${supported}`, {
      detail: { ...facts },
    });
  }
  if (!platforms.some((p) => p.distributions.includes(distribution))) {
    const known = [...new Set(platforms.flatMap((p) => p.distributions))].join(', ');
    throw new StepError('PREFLIGHT_OS', `${r.where} runs ${distribution}; the bundle supports ${known}`, {
      detail: { ...facts },
    });
  }

  const fp = await r.exec(['cat', paths.fingerprint]);
  if (fp.code === 0) {
    try {
      const seen = JSON.parse(fp.stdout) as { runtime?: string; version?: string; endpoint?: unknown };
      facts.already = seen.runtime === bundle.runtime && seen.version === bundle.version;
      if (facts.already && typeof seen.endpoint === 'string') facts.endpoint = seen.endpoint;
    } catch {
      // An unreadable fingerprint is not this version's: install over it (it is backed up).
    }
  }
  if (bundle.runtime === 'compose') facts.compose = await composeOf(r, bundle);
  // Refused before the cluster goes up: its VIP task could never succeed. IPVS is that task's to check.
  if (bundle.runtime === 'k8s' && options.lvs_vip)
    await vipPreflight(r, bundle, options.lvs_vip, facts, false);
  if (facts.already) return facts;

  const df = await r.must(['sh', '-c', DF_SCRIPT, 'sh', paths.prefix]);
  const cols = df.stdout.trim().split('\n').pop()?.trim().split(/\s+/) ?? [];
  const freeKb = Number(cols[3]);
  if (Number.isFinite(freeKb)) {
    facts.disk_free_mb = Math.floor(freeKb / 1024);
    if (facts.disk_free_mb < bundle.min_disk_mb) {
      throw new StepError(
        'PREFLIGHT_DISK',
        `${facts.disk_free_mb} MB free under ${paths.prefix} on ${r.where}; the bundle needs ${bundle.min_disk_mb} MB`,
        { detail: { ...facts } },
      );
    }
  }

  if (bundle.ports.length) {
    const tcp = await r.exec(['cat', '/proc/net/tcp', '/proc/net/tcp6']);
    const busy = bundle.ports.filter((p) => listeningPorts(tcp.stdout).has(p));
    if (busy.length) {
      throw new StepError('PREFLIGHT_PORT', `ports already in use on ${r.where}: ${busy.join(', ')}`, {
        detail: { ...facts, ports: busy },
      });
    }
  }

  if (bundle.runtime === 'compose' && facts.compose === null) {
    throw new StepError(
      'PREFLIGHT_COMPOSE',
      `${r.where} has neither the docker compose plugin nor docker-compose, and this bundle ships no compose`,
      { detail: { ...facts } },
    );
  }
  return facts;
}

export async function vipPreflight(
  r: Remote,
  bundle: BundleEntry,
  vip: string,
  facts: Partial<Facts>,
  ipvs: boolean,
) {
  if (!VIP_FORMAT.test(vip)) {
    throw new StepError('VALIDATION_FAILED', `options.lvs_vip is ${vip}; it wants ADDRESS/PREFIXLEN`, {
      detail: { ...facts },
    });
  }
  if (!bundle.files.some((f) => f.path === VIP_SCRIPT)) {
    throw new StepError(
      'BUNDLE_MISSING',
      `${bundle.runtime} ${bundle.version} ships no ${VIP_SCRIPT}: it cannot set up the VIP ${vip}`,
      { detail: { ...facts } },
    );
  }
  if (ipvs && (await r.exec(['test', '-e', '/proc/net/ip_vs'])).code !== 0) {
    throw new StepError(
      'PREFLIGHT_IPVS',
      `the kernel of ${r.where} has no IPVS (/proc/net/ip_vs is absent); the VIP ${vip} needs it`,
      { detail: { ...facts } },
    );
  }
}

async function composeOf(r: Remote, bundle: BundleEntry): Promise<'v1' | 'v2' | null> {
  if (shipsComposePlugin(bundle)) return 'v2';
  if ((await r.exec(['docker', 'compose', 'version'])).code === 0) return 'v2';
  if ((await r.exec(['docker-compose', 'version'])).code === 0) return 'v1';
  return null;
}
