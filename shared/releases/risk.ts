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
 * - otherwise production is high (even with nothing to change: it is production), staging with
 *   changes medium, staging without changes and development low.
 */

import type { Tier } from '../contracts/projects';
import type { DiffSummary, RiskLevel } from './contracts';

export type RiskInput = { tier: Tier; summary: DiffSummary; hasChanges: boolean };

export const RISK_RULES = [
  'resource_deleted',
  'scaled_to_zero',
  'secret_changed',
  'secret_variable_changed',
  'production',
  'staging_change',
] as const;
export type RiskRule = (typeof RISK_RULES)[number];

export type RiskReason = { rule: RiskRule; detail: string };
export type RiskAssessment = { level: RiskLevel; reasons: RiskReason[] };

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const LEVEL_OF: Record<RiskRule, RiskLevel> = {
  resource_deleted: 'critical',
  scaled_to_zero: 'critical',
  secret_changed: 'critical',
  secret_variable_changed: 'critical',
  production: 'high',
  staging_change: 'medium',
};

const isSecretChange = (change: string) => change === 'changed' || change === 'removed';

export function assessRisk({ tier, summary, hasChanges }: RiskInput): RiskAssessment {
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
