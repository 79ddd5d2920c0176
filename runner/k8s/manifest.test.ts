import { describe, expect, it } from 'vitest';
import {
  inNamespace,
  isOurs,
  labelled,
  type Manifest,
  objectKey,
  parseManifests,
  pruneCandidates,
  secretDocumentValues,
  withStrategy,
} from './manifest';

const m = (kind: string, name: string, namespace?: string, apiVersion = 'v1'): Manifest => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('parseManifests', () => {
  it('reads every non-empty document in order', () => {
    const r = parseManifests(
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n',
    );
    expect(r.ok && r.value.map((d) => d.metadata.name)).toEqual(['a', 'b']);
  });

  it('refuses a document without a name, naming its position only', () => {
    expect(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n')).toEqual({
      ok: false,
      message: 'documents[0]: needs apiVersion, kind and metadata.name',
    });
  });
});

describe('inNamespace', () => {
  it('puts documents without a namespace into the target one', () => {
    const r = inNamespace([m('ConfigMap', 'a')], 'shop');
    expect(r.ok && r.value[0]?.metadata.namespace).toBe('shop');
  });

  it('refuses a document for another namespace and a cluster-scoped kind', () => {
    expect(inNamespace([m('ConfigMap', 'a', 'shop'), m('ConfigMap', 'b', 'prod')], 'shop')).toMatchObject({
      ok: false,
      message: expect.stringContaining('ConfigMap/b is for namespace "prod"'),
    });
    expect(inNamespace([m('Namespace', 'shop')], 'shop')).toMatchObject({ ok: false });
  });
});

describe('labels and ownership', () => {
  it('adds our three labels over what the template had, leaving the rest', () => {
    const doc = {
      ...m('ConfigMap', 'a'),
      metadata: { name: 'a', labels: { tier: 'web', 'app.kubernetes.io/managed-by': 'helm' } },
    };
    expect(labelled(doc, { targetId: 't1', releaseId: 'r9' }).metadata.labels).toEqual({
      tier: 'web',
      'app.kubernetes.io/managed-by': 'k8s-manage',
      'k8s-manage/target': 't1',
      'k8s-manage/release': 'r9',
    });
    expect(doc.metadata.labels['app.kubernetes.io/managed-by']).toBe('helm');
  });

  it('counts an object as ours only with both labels, for this target', () => {
    const ours = { 'app.kubernetes.io/managed-by': 'k8s-manage', 'k8s-manage/target': 't1' };
    expect(isOurs(ours, 't1')).toBe(true);
    expect(isOurs(ours, 't2')).toBe(false);
    expect(isOurs({ 'k8s-manage/target': 't1' }, 't1')).toBe(false);
    expect(isOurs(undefined, 't1')).toBe(false);
  });
});

describe('pruneCandidates', () => {
  it('chooses what the previous revision had and this one lacks, in the namespace only', () => {
    const previous = [
      m('ConfigMap', 'keep'),
      m('ConfigMap', 'gone'),
      m('Secret', 'gone'),
      m('ConfigMap', 'elsewhere', 'other'),
      m('ClusterRole', 'wide', undefined, 'rbac.authorization.k8s.io/v1'),
      m('ConfigMap', 'gone'),
    ];
    const current = [m('ConfigMap', 'keep', 'shop')];
    expect(pruneCandidates(previous, current, 'shop').map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ConfigMap/gone',
      'Secret/gone',
    ]);
  });

  it('treats a new version of the same group as the same object, so it is not pruned', () => {
    const before = m('Deployment', 'web', 'shop', 'apps/v1beta2');
    const after = m('Deployment', 'web', 'shop', 'apps/v1');
    expect(objectKey(before, 'shop')).toBe(objectKey(after, 'shop'));
    expect(pruneCandidates([before], [after], 'shop')).toEqual([]);
  });
});

describe('secretDocumentValues', () => {
  it('collects Secret values in both spellings, skipping values too short to matter', () => {
    const secret = {
      ...m('Secret', 's'),
      data: { a: Buffer.from('password-1').toString('base64'), b: 'eA==' },
      stringData: { c: 'token-2' },
    };
    const values = secretDocumentValues([secret, { ...m('ConfigMap', 'c'), data: { d: 'not-a-secret' } }]);
    expect(values).toEqual(
      expect.arrayContaining(['password-1', 'cGFzc3dvcmQtMQ==', 'token-2', 'dG9rZW4tMg==', 'eA==']),
    );
    expect(values).not.toContain('x');
    expect(values).not.toContain('not-a-secret');
  });
});

describe('withStrategy', () => {
  const web: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: { spec: { containers: [{ name: 'web', image: 'w:1' }] } },
    },
  };

  it('makes a Deployment Recreate for a recreate release, dropping rollingUpdate and keeping the rest', () => {
    expect(withStrategy(web, 'recreate')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        strategy: { type: 'Recreate' },
        template: { spec: { containers: [{ name: 'web', image: 'w:1' }] } },
      },
    });
    expect(web.spec).toMatchObject({ strategy: { type: 'RollingUpdate' } });
  });

  it('sets Recreate on a Deployment that named no strategy', () => {
    const bare: Manifest = { ...web, spec: { template: {} } };
    expect(withStrategy(bare, 'recreate').spec).toEqual({ template: {}, strategy: { type: 'Recreate' } });
  });

  it('sends documents as written for a rolling release, and other kinds as written for either', () => {
    expect(withStrategy(web, 'rolling')).toBe(web);
    const sts: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { updateStrategy: { type: 'RollingUpdate' } },
    };
    expect(withStrategy(sts, 'recreate')).toBe(sts);
    expect(withStrategy(m('ConfigMap', 'c'), 'recreate')).toEqual(m('ConfigMap', 'c'));
  });
});
