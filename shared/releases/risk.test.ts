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

const k8s = { runtime: 'k8s', documents: [] } as const;

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
    expect(riskLevel({ tier, summary: { ...none, ...c.summary }, hasChanges: c.hasChanges, ...k8s })).toBe(
      level,
    );
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
    expect(assessRisk({ tier: 'production', summary, hasChanges: true, ...k8s })).toEqual({
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
    expect(assessRisk({ tier: 'development', summary: none, hasChanges: true, ...k8s })).toEqual({
      level: 'low',
      reasons: [],
    });
  });

  it('explains a staging change', () => {
    expect(assessRisk({ tier: 'staging', summary: none, hasChanges: true, ...k8s }).reasons).toEqual([
      { rule: 'staging_change', detail: 'changes a staging environment' },
    ]);
  });
});

/** A Deployment whose pod spec and container carry the given extras. */
const deployment = (pod: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { template: { spec: { ...pod, containers: [{ name: 'app', image: 'a:1', ...container }] } } },
});
const composeFile = (service: Record<string, unknown>) => ({
  services: { web: { image: 'a:1', ...service } },
});

/** SPEC §7.5: each host-level power, on each runtime, with the reason it gives. */
const POWERS: [string, 'k8s' | 'compose', unknown, string][] = [
  [
    'privileged',
    'k8s',
    deployment({}, { securityContext: { privileged: true } }),
    'Deployment/web container app runs privileged',
  ],
  [
    'host network',
    'k8s',
    deployment({ hostNetwork: true }),
    "Deployment/web shares the host's network namespace",
  ],
  ['host PID', 'k8s', deployment({ hostPID: true }), "Deployment/web shares the host's PID namespace"],
  ['host IPC', 'k8s', deployment({ hostIPC: true }), "Deployment/web shares the host's IPC namespace"],
  [
    'a host path',
    'k8s',
    deployment({ volumes: [{ name: 'h', hostPath: { path: '/etc' } }] }),
    'Deployment/web mounts the host path /etc',
  ],
  [
    'the Docker socket',
    'k8s',
    deployment({ volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] }),
    'Deployment/web mounts the host path /var/run/docker.sock',
  ],
  [
    'SYS_ADMIN',
    'k8s',
    deployment({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }),
    'Deployment/web container app adds capabilities SYS_ADMIN',
  ],
  [
    'NET_ADMIN',
    'k8s',
    deployment({}, { securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CAP_NET_ADMIN'] } } }),
    'Deployment/web container app adds capabilities NET_ADMIN',
  ],
  [
    'ALL',
    'k8s',
    deployment({}, { securityContext: { capabilities: { add: ['ALL'] } } }),
    'Deployment/web container app adds capabilities ALL',
  ],
  ['privileged', 'compose', composeFile({ privileged: true }), 'service web runs privileged'],
  [
    'host network',
    'compose',
    composeFile({ network_mode: 'host' }),
    "service web shares the host's network namespace",
  ],
  ['host PID', 'compose', composeFile({ pid: 'host' }), "service web shares the host's PID namespace"],
  ['host IPC', 'compose', composeFile({ ipc: 'host' }), "service web shares the host's IPC namespace"],
  [
    'a host path',
    'compose',
    composeFile({ volumes: ['/etc:/host-etc:ro'] }),
    'service web mounts the host path /etc',
  ],
  [
    'a bind mount (long syntax)',
    'compose',
    composeFile({ volumes: [{ type: 'bind', source: './data', target: '/data' }] }),
    'service web mounts the host path ./data',
  ],
  [
    'the Docker socket',
    'compose',
    composeFile({ volumes: ['/var/run/docker.sock:/var/run/docker.sock'] }),
    'service web mounts the Docker socket /var/run/docker.sock',
  ],
  [
    'SYS_ADMIN',
    'compose',
    composeFile({ cap_add: ['SYS_ADMIN'] }),
    'service web adds capabilities SYS_ADMIN',
  ],
  [
    'NET_ADMIN',
    'compose',
    composeFile({ cap_add: ['NET_ADMIN'] }),
    'service web adds capabilities NET_ADMIN',
  ],
  ['ALL', 'compose', composeFile({ cap_add: ['ALL'] }), 'service web adds capabilities ALL'],
  [
    'devices',
    'compose',
    composeFile({ devices: ['/dev/fuse:/dev/fuse'] }),
    'service web maps host devices /dev/fuse:/dev/fuse',
  ],
];

describe('host-level powers', () => {
  it.each(POWERS)('%s on %s makes a development release high, with its reason', (_, runtime, doc, detail) => {
    const risk = assessRisk({
      tier: 'development',
      summary: none,
      hasChanges: true,
      runtime,
      documents: [doc],
    });
    expect(risk).toEqual({ level: 'high', reasons: [{ rule: 'host_power', detail }] });
  });

  it.each(POWERS)('%s on %s makes a staging release high', (_, runtime, doc) => {
    expect(riskLevel({ tier: 'staging', summary: none, hasChanges: true, runtime, documents: [doc] })).toBe(
      'high',
    );
  });

  it('keeps a critical trigger critical when a power is present too', () => {
    const summary = { ...none, resources_removed: ['Service/web'] };
    const documents = [composeFile({ privileged: true })];
    expect(riskLevel({ tier: 'staging', summary, hasChanges: true, runtime: 'compose', documents })).toBe(
      'critical',
    );
  });

  it.each([
    [
      'k8s',
      deployment(
        { volumes: [{ name: 'c', emptyDir: {} }] },
        { securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } },
      ),
    ],
    ['compose', composeFile({ volumes: ['data:/data'], cap_add: ['CHOWN'], network_mode: 'bridge' })],
  ] as const)(
    'sees no power in an ordinary %s workload (named volumes, default capabilities)',
    (runtime, doc) => {
      expect(
        assessRisk({ tier: 'development', summary: none, hasChanges: true, runtime, documents: [doc] }),
      ).toEqual({
        level: 'low',
        reasons: [],
      });
    },
  );
});
