import { describe, expect, it } from 'vitest';
import { diffRevisions } from './diff';
import { secretVariableDigests } from './mask';
import { composeRevision, k8sRevision, type Revision } from './revision';

const deployment = (image: string, replicas?: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    template: {
      spec: {
        initContainers: [{ name: 'migrate', image }],
        containers: [{ name: 'web', image, env: [{ name: 'DB_PASSWORD', value: 'p4ssw0rd-value' }] }],
        ...extra,
      },
    },
  },
});
const secretDoc = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  stringData: data,
});
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } };

const k8s = (docs: unknown[], vars: Record<string, string> = { DB_PASSWORD: 'p4ssw0rd-value' }): Revision =>
  k8sRevision(docs, {
    secretValues: Object.values(vars),
    secretVariableDigests: secretVariableDigests(vars, Object.keys(vars)),
  });

const empty = {
  images_changed: [],
  replicas_changed: [],
  resources_added: [],
  resources_removed: [],
  secrets: [],
  secret_variables: [],
  scaled_to_zero: [],
};

describe('diffRevisions for k8s', () => {
  it('summarises a first release against nothing running', () => {
    const { unified, summary } = diffRevisions({
      before: null,
      after: k8s([deployment('web:1', 2), secretDoc({ password: 'x' })]),
      runtime: 'k8s',
    });
    expect(summary).toEqual({
      ...empty,
      images_changed: [
        { resource: 'Deployment/web', container: 'migrate', from: null, to: 'web:1' },
        { resource: 'Deployment/web', container: 'web', from: null, to: 'web:1' },
      ],
      replicas_changed: [{ resource: 'Deployment/web', from: null, to: 2 }],
      resources_added: ['Deployment/web', 'Secret/db'],
      secrets: [{ name: 'db', key: 'password', change: 'added' }],
      secret_variables: [{ name: 'DB_PASSWORD', change: 'added' }],
    });
    expect(unified).toContain('--- running');
    expect(unified).toContain('+++ preview');
    expect(unified).toContain('+kind: Deployment');
  });

  it('reports nothing for identical revisions', () => {
    const rev = () => k8s([deployment('web:1', 2), secretDoc({ password: 'x' })]);
    const { summary, unified } = diffRevisions({ before: rev(), after: rev(), runtime: 'k8s' });
    expect(summary).toEqual({
      ...empty,
      secrets: [{ name: 'db', key: 'password', change: 'unchanged' }],
      secret_variables: [{ name: 'DB_PASSWORD', change: 'unchanged' }],
    });
    expect(unified).not.toMatch(/^[-+][^-+]/m);
  });

  it('names image, replica and removed resources, and scaling to zero', () => {
    const before = k8s([deployment('web:1', 3), service]);
    const after = k8s([deployment('web:2', 0)]);
    const { summary } = diffRevisions({ before, after, runtime: 'k8s' });
    expect(summary).toEqual({
      ...empty,
      images_changed: [
        { resource: 'Deployment/web', container: 'migrate', from: 'web:1', to: 'web:2' },
        { resource: 'Deployment/web', container: 'web', from: 'web:1', to: 'web:2' },
      ],
      replicas_changed: [{ resource: 'Deployment/web', from: 3, to: 0 }],
      resources_removed: ['Service/web'],
      scaled_to_zero: ['Deployment/web'],
      secret_variables: [{ name: 'DB_PASSWORD', change: 'unchanged' }],
    });
  });

  it('counts a manifest without replicas (the default of 1) going to zero as scaling to zero', () => {
    const { summary } = diffRevisions({
      before: k8s([deployment('a')]),
      after: k8s([deployment('a', 0)]),
      runtime: 'k8s',
    });
    expect(summary.scaled_to_zero).toEqual(['Deployment/web']);
  });

  it('reads Pod and CronJob images where those kinds keep them', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'p:1' }] },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'j' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'j:1' }] } } } } },
    };
    const { summary } = diffRevisions({ before: null, after: k8s([pod, cron], {}), runtime: 'k8s' });
    expect(summary.images_changed).toEqual([
      { resource: 'CronJob/j', container: 'c', from: null, to: 'j:1' },
      { resource: 'Pod/p', container: 'c', from: null, to: 'p:1' },
    ]);
  });

  it('says a secret changed without showing either value', () => {
    const before = k8s([secretDoc({ password: 'old-password-1', user: 'app' })], {
      DB_PASSWORD: 'first-value-1',
    });
    const after = k8s([secretDoc({ password: 'new-password-2', token: 't' })], {
      DB_PASSWORD: 'second-value-2',
    });
    const result = diffRevisions({ before, after, runtime: 'k8s' });
    expect(result.summary.secrets).toEqual([
      { name: 'db', key: 'password', change: 'changed' },
      { name: 'db', key: 'token', change: 'added' },
      { name: 'db', key: 'user', change: 'removed' },
    ]);
    expect(result.summary.secret_variables).toEqual([{ name: 'DB_PASSWORD', change: 'changed' }]);
    const shown = JSON.stringify(result);
    for (const value of [
      'old-password-1',
      'new-password-2',
      'first-value-1',
      'second-value-2',
      'p4ssw0rd-value',
    ]) {
      expect(shown).not.toContain(value);
    }
    expect(result.unified).toContain('password: "***"');
  });

  it('masks a secret variable wherever the manifest uses it', () => {
    const { unified } = diffRevisions({ before: null, after: k8s([deployment('web:1')]), runtime: 'k8s' });
    expect(unified).toContain('value: "***"');
    expect(unified).not.toContain('p4ssw0rd-value');
  });
});

describe('diffRevisions for compose', () => {
  const compose = (text: string, document: unknown, vars: Record<string, string> = {}) =>
    composeRevision(text, document, {
      secretValues: Object.values(vars),
      secretVariableDigests: secretVariableDigests(vars, Object.keys(vars)),
    });

  it('uses service ids, images and compose replicas (default 1)', () => {
    const before = compose('services:\n  web: {image: web:1}\n  db: {image: pg:15}\n', {
      services: { web: { image: 'web:1' }, db: { image: 'pg:15' } },
    });
    const after = compose(
      'services:\n  web: {image: web:2, deploy: {replicas: 0}}\n  cache: {image: redis:7}\n',
      {
        services: { web: { image: 'web:2', deploy: { replicas: 0 } }, cache: { image: 'redis:7' } },
      },
    );
    const { summary, unified } = diffRevisions({ before, after, runtime: 'compose' });
    expect(summary).toEqual({
      ...empty,
      images_changed: [
        { resource: 'service/cache', container: 'cache', from: null, to: 'redis:7' },
        { resource: 'service/web', container: 'web', from: 'web:1', to: 'web:2' },
      ],
      replicas_changed: [
        { resource: 'service/cache', from: null, to: 1 },
        { resource: 'service/web', from: 1, to: 0 },
      ],
      resources_added: ['service/cache'],
      resources_removed: ['service/db'],
      scaled_to_zero: ['service/web'],
    });
    expect(unified).toContain('-  web: {image: web:1}');
  });

  it('masks secret variables in the compose text and document', () => {
    const text = 'services:\n  web: {image: web:1, environment: {PW: hunter2-xyz}}\n';
    const doc = { services: { web: { image: 'web:1', environment: { PW: 'hunter2-xyz' } } } };
    const rev = compose(text, doc, { PW: 'hunter2-xyz' });
    expect(rev.text).toBe('services:\n  web: {image: web:1, environment: {PW: ***}}\n');
    expect(JSON.stringify(rev.documents)).not.toContain('hunter2');
  });
});
