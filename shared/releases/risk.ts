/**
 * The risk level of a release (SPEC §4 `risk_level`), the one place its rules live, with the
 * reasons that produced it so the preview can explain itself.
 *
 * - critical: deleting a resource, scaling one to zero, or changing a Secret or a secret variable,
 *   in every tier. SPEC lists these triggers without a tier, and a deleted database Secret hurts a
 *   staging team as well; the level is informative (the policy matrix, not risk, decides tickets).
 * - a secret "changes" when its digest differs or it is removed. An added key or secret variable is
 *   not critical: nothing that runs depends on a value that did not exist yet (the summary still
 *   lists it, masked).
 * - host-level powers make a release at least high on either runtime (SPEC §7.5): whatever the
 *   tier, a container that can reach the host can take the machine and its other tenants. They are
 *   read from what the release would run, not from the diff: a power that ran before still runs.
 * - otherwise production is high (even with nothing to change: it is production), staging with
 *   changes medium, staging without changes and development low.
 */

import type { Tier } from '../contracts/projects';
import type { DiffSummary, RiskLevel, RiskRule, RuntimeType } from './contracts';
import { RISK_RULES } from './contracts';
import { containersOf, getIn, podSpecsOf } from './validate-k8s';
import { isPlainObject } from './yaml';

export type RiskInput = {
  tier: Tier;
  summary: DiffSummary;
  hasChanges: boolean;
  runtime: RuntimeType;
  /** The (masked) documents the release would run: every k8s document, or the one compose file. */
  documents: readonly unknown[];
};

export { RISK_RULES, type RiskRule };

export type RiskReason = { rule: RiskRule; detail: string };
export type RiskAssessment = { level: RiskLevel; reasons: RiskReason[] };

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const LEVEL_OF: Record<RiskRule, RiskLevel> = {
  resource_deleted: 'critical',
  scaled_to_zero: 'critical',
  secret_changed: 'critical',
  secret_variable_changed: 'critical',
  host_power: 'high',
  production: 'high',
  staging_change: 'medium',
};

const isSecretChange = (change: string) => change === 'changed' || change === 'removed';

export function assessRisk({ tier, summary, hasChanges, runtime, documents }: RiskInput): RiskAssessment {
  const reasons: RiskReason[] = [];
  const add = (rule: RiskRule, items: readonly string[], verb: string) => {
    if (items.length) reasons.push({ rule, detail: `${verb} ${items.join(', ')}` });
  };
  add('resource_deleted', summary.resources_removed, 'deletes');
  add('scaled_to_zero', summary.scaled_to_zero, 'scales to zero');
  add(
    'secret_changed',
    summary.secrets
      .filter((s) => isSecretChange(s.change))
      .map((s) => `Secret/${s.name} key ${s.key} (${s.change})`),
    'changes',
  );
  add(
    'secret_variable_changed',
    summary.secret_variables.filter((s) => isSecretChange(s.change)).map((s) => `${s.name} (${s.change})`),
    'changes secret variable',
  );
  for (const power of runtime === 'k8s' ? k8sPowers(documents) : composePowers(documents))
    reasons.push({ rule: 'host_power', detail: power });
  if (tier === 'production') reasons.push({ rule: 'production', detail: 'targets a production environment' });
  if (tier === 'staging' && hasChanges)
    reasons.push({ rule: 'staging_change', detail: 'changes a staging environment' });

  const level = reasons.reduce<RiskLevel>(
    (max, r) => (RANK[LEVEL_OF[r.rule]] > RANK[max] ? LEVEL_OF[r.rule] : max),
    'low',
  );
  return { level, reasons };
}

export const riskLevel = (input: RiskInput): RiskLevel => assessRisk(input).level;

/**
 * Capabilities a container runtime grants by default (Docker's and containerd's set): adding one of
 * these gives nothing beyond an ordinary container, so only others (and `ALL`) count as powers.
 */
const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function addedPowers(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((c) => String(c).toUpperCase().replace(/^CAP_/, ''))
    .filter((c) => !DEFAULT_CAPABILITIES.has(c));
}

const NAMESPACES = { hostNetwork: 'network', hostPID: 'PID', hostIPC: 'IPC' } as const;

function k8sPowers(documents: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const doc of documents) {
    if (!isPlainObject(doc)) continue;
    const name = `${String(doc.kind)}/${String(getIn(doc, ['metadata', 'name']))}`;
    for (const pod of podSpecsOf(doc)) {
      for (const [flag, ns] of Object.entries(NAMESPACES))
        if (pod.spec[flag] === true) out.push(`${name} shares the host's ${ns} namespace`);
      for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [])
        if (isPlainObject(v) && isPlainObject(v.hostPath))
          out.push(`${name} mounts the host path ${String(v.hostPath.path)}`);
      for (const c of containersOf(pod)) {
        const security = c.container.securityContext;
        if (getIn(security, ['privileged']) === true) out.push(`${name} container ${c.name} runs privileged`);
        const caps = addedPowers(getIn(security, ['capabilities', 'add']));
        if (caps.length) out.push(`${name} container ${c.name} adds capabilities ${caps.join(', ')}`);
      }
    }
  }
  return out;
}

/** A bind mount's host side: the short syntax's source when it is a path, or `type: bind`. */
function hostPathOf(volume: unknown): string | null {
  if (typeof volume === 'string') {
    const source = volume.split(':')[0] ?? '';
    return /^[./~]/.test(source) ? source : null;
  }
  if (isPlainObject(volume) && volume.type === 'bind') return String(volume.source);
  return null;
}

function composePowers(documents: readonly unknown[]): string[] {
  const out: string[] = [];
  const services = getIn(documents[0], ['services']);
  if (!isPlainObject(services)) return out;
  for (const [name, service] of Object.entries(services)) {
    if (!isPlainObject(service)) continue;
    const at = `service ${name}`;
    if (service.privileged === true) out.push(`${at} runs privileged`);
    for (const [field, ns] of [
      ['network_mode', 'network'],
      ['pid', 'PID'],
      ['ipc', 'IPC'],
    ] as const)
      if (service[field] === 'host') out.push(`${at} shares the host's ${ns} namespace`);
    for (const v of Array.isArray(service.volumes) ? service.volumes : []) {
      const path = hostPathOf(v);
      if (path === null) continue;
      out.push(
        path.endsWith('docker.sock')
          ? `${at} mounts the Docker socket ${path}`
          : `${at} mounts the host path ${path}`,
      );
    }
    const caps = addedPowers(service.cap_add);
    if (caps.length) out.push(`${at} adds capabilities ${caps.join(', ')}`);
    if (Array.isArray(service.devices) && service.devices.length)
      out.push(
        `${at} maps host devices ${service.devices.map((d) => (isPlainObject(d) ? String(d.source) : String(d))).join(', ')}`,
      );
  }
  return out;
}
