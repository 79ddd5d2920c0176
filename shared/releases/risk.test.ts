import { describe, expect, it } from 'vitest';
import type { DiffSummary } from './contracts';
import { assessRisk, riskLevel } from './risk';

const none: DiffSummary = {
  images_changed: [],
  replicas_changed: [],
  resources_added: [],
  resources_removed: [],
  secrets: [],
  secret_variables: [],
  scaled_to_zero: [],
};

/** Each case is a change of the summary and whether the release changes anything at all. */
const CASES: Record<string, { summary: Partial<DiffSummary>; hasChanges: boolean }> = {
  'no changes': { summary: {}, hasChanges: false },
  'an image change': {
    summary: { images_changed: [{ resource: 'Deployment/web', container: 'web', from: 'a:1', to: 'a:2' }] },
    hasChanges: true,
  },
  'a deleted resource': { summary: { resources_removed: ['Service/web'] }, hasChanges: true },
  'scaling to zero': { summary: { scaled_to_zero: ['Deployment/web'] }, hasChanges: true },
  'a changed Secret key': {
    summary: { secrets: [{ name: 'db', key: 'pw', change: 'changed' }] },
    hasChanges: true,
  },
  'a removed Secret key': {
    summary: { secrets: [{ name: 'db', key: 'pw', change: 'removed' }] },
    hasChanges: true,
  },
  'an added Secret key': {
    summary: { secrets: [{ name: 'db', key: 'pw', change: 'added' }] },
    hasChanges: true,
  },
  'an unchanged Secret': {
    summary: { secrets: [{ name: 'db', key: 'pw', change: 'unchanged' }] },
    hasChanges: false,
  },
  'a changed secret variable': {
    summary: { secret_variables: [{ name: 'PW', change: 'changed' }] },
    hasChanges: true,
  },
  'a removed secret variable': {
    summary: { secret_variables: [{ name: 'PW', change: 'removed' }] },
    hasChanges: true,
  },
  'an added secret variable': {
    summary: { secret_variables: [{ name: 'PW', change: 'added' }] },
    hasChanges: true,
  },
};

/** SPEC §4 risk_level, tier by tier; the critical triggers hold in every tier. */
const TABLE: [string, 'development' | 'staging' | 'production', string][] = [
  ['no changes', 'development', 'low'],
  ['an image change', 'development', 'low'],
  ['a deleted resource', 'development', 'critical'],
  ['scaling to zero', 'development', 'critical'],
  ['a changed Secret key', 'development', 'critical'],
  ['a removed Secret key', 'development', 'critical'],
  ['an added Secret key', 'development', 'low'],
  ['an unchanged Secret', 'development', 'low'],
  ['a changed secret variable', 'development', 'critical'],
  ['a removed secret variable', 'development', 'critical'],
  ['an added secret variable', 'development', 'low'],
  ['no changes', 'staging', 'low'],
  ['an image change', 'staging', 'medium'],
  ['a deleted resource', 'staging', 'critical'],
  ['scaling to zero', 'staging', 'critical'],
  ['a changed Secret key', 'staging', 'critical'],
  ['a removed Secret key', 'staging', 'critical'],
  ['an added Secret key', 'staging', 'medium'],
  ['an unchanged Secret', 'staging', 'low'],
  ['a changed secret variable', 'staging', 'critical'],
  ['a removed secret variable', 'staging', 'critical'],
  ['an added secret variable', 'staging', 'medium'],
  ['no changes', 'production', 'high'],
  ['an image change', 'production', 'high'],
  ['a deleted resource', 'production', 'critical'],
  ['scaling to zero', 'production', 'critical'],
  ['a changed Secret key', 'production', 'critical'],
  ['a removed Secret key', 'production', 'critical'],
  ['an added Secret key', 'production', 'high'],
  ['an unchanged Secret', 'production', 'high'],
  ['a changed secret variable', 'production', 'critical'],
  ['a removed secret variable', 'production', 'critical'],
  ['an added secret variable', 'production', 'high'],
];

describe('riskLevel', () => {
  it('has a row for every case in every tier', () => {
    expect(TABLE).toHaveLength(Object.keys(CASES).length * 3);
  });

  it.each(TABLE)('%s in %s is %s', (name, tier, level) => {
    const c = CASES[name]!;
    expect(riskLevel({ tier, summary: { ...none, ...c.summary }, hasChanges: c.hasChanges })).toBe(level);
  });
});

describe('assessRisk reasons', () => {
  it('lists every rule that applied, naming resources and never values', () => {
    const summary: DiffSummary = {
      ...none,
      resources_removed: ['Service/web', 'ConfigMap/c'],
      scaled_to_zero: ['Deployment/api'],
      secrets: [
        { name: 'db', key: 'pw', change: 'changed' },
        { name: 'db', key: 'user', change: 'unchanged' },
      ],
      secret_variables: [{ name: 'API_KEY', change: 'removed' }],
    };
    expect(assessRisk({ tier: 'production', summary, hasChanges: true })).toEqual({
      level: 'critical',
      reasons: [
        { rule: 'resource_deleted', detail: 'deletes Service/web, ConfigMap/c' },
        { rule: 'scaled_to_zero', detail: 'scales to zero Deployment/api' },
        { rule: 'secret_changed', detail: 'changes Secret/db key pw (changed)' },
        { rule: 'secret_variable_changed', detail: 'changes secret variable API_KEY (removed)' },
        { rule: 'production', detail: 'targets a production environment' },
      ],
    });
  });

  it('gives no reasons for a quiet development release', () => {
    expect(assessRisk({ tier: 'development', summary: none, hasChanges: true })).toEqual({
      level: 'low',
      reasons: [],
    });
  });

  it('explains a staging change', () => {
    expect(assessRisk({ tier: 'staging', summary: none, hasChanges: true }).reasons).toEqual([
      { rule: 'staging_change', detail: 'changes a staging environment' },
    ]);
  });
});
