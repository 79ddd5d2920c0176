import { describe, expect, it } from 'vitest';
import { validateK8s } from './validate-k8s';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: repo/web:1.0
`;

describe('validateK8s', () => {
  it('forces the target namespace and writes it after the name', () => {
    const result = validateK8s(deployment, 'shop');
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (!result.ok) return;
    expect(result.documents[0]?.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { app: 'web' } });
    expect(result.text).toContain('metadata:\n  name: web\n  namespace: shop\n  labels:\n');
  });

  it('accepts a document already naming the target namespace, and skips empty documents', () => {
    const text = `---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {a: "1"}\n---\n`;
    const result = validateK8s(text, 'shop');
    expect(result.ok && result.documents.map((d) => d.kind)).toEqual(['ConfigMap']);
  });

  it('reads the template as kubectl does: 0644 is octal, yes is a boolean, dates stay strings', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {mode: 0644, flag: yes, day: 2024-01-01, quoted: "yes"}
`;
    const result = validateK8s(text, 'shop');
    expect(result.ok && result.documents[0]?.data).toEqual({
      mode: 420,
      flag: true,
      day: '2024-01-01',
      quoted: 'yes',
    });
    // Strings that look like other types are quoted, so every reader reads them back as strings.
    expect(result.ok && result.text).toContain('day: "2024-01-01"\n  quoted: "yes"\n');
  });

  it('writes multi-line values as block literals, one document per section', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {f: "x\\ny\\n"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n`;
    const result = validateK8s(text, 'ns');
    expect(result.ok && result.text).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\ndata:\n  f: |\n    x\n    y\n' +
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: ns\n',
    );
  });

  it.each([
    {
      name: 'another namespace',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-system}\n',
      fields: [
        {
          path: 'documents[0].metadata.namespace',
          message: 'must be the target\'s namespace "shop" (or left out)',
        },
      ],
    },
    {
      name: 'a cluster-scoped kind',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: me-admin}\n',
      fields: [
        {
          path: 'documents[1].kind',
          message: 'ClusterRoleBinding is cluster-scoped: a target deploys only into its own namespace',
        },
      ],
    },
    {
      name: 'a Namespace',
      text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n',
      fields: [{ path: 'documents[0].kind', message: expect.stringContaining('cluster-scoped') }],
    },
    {
      name: 'a List, which could hide any kind',
      text: 'apiVersion: v1\nkind: List\nmetadata: {name: l}\nitems: []\n',
      fields: [{ path: 'documents[0].kind', message: expect.stringContaining('List is not accepted') }],
    },
    {
      name: 'a name that is not DNS-1123',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Web_1}\n',
      fields: [{ path: 'documents[0].metadata.name', message: expect.stringContaining('DNS-1123') }],
    },
    {
      name: 'a Service name starting with a digit',
      text: 'apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n',
      fields: [{ path: 'documents[0].metadata.name', message: expect.stringContaining('DNS-1035') }],
    },
    {
      name: 'missing apiVersion, kind and metadata',
      text: 'spec: {}\n',
      fields: [
        { path: 'documents[0].apiVersion', message: expect.any(String) },
        { path: 'documents[0].kind', message: expect.any(String) },
        { path: 'documents[0].metadata', message: expect.any(String) },
      ],
    },
    {
      name: 'a document that is not a mapping (counting empty documents)',
      text: '---\n---\n- a\n- b\n',
      fields: [{ path: 'documents[1]', message: expect.stringContaining('must be a mapping') }],
    },
    {
      name: 'a duplicate kind and name',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      fields: [
        { path: 'documents[1].metadata.name', message: 'duplicate ConfigMap/c (first in documents[0])' },
      ],
    },
    {
      name: 'a duplicate key',
      text: 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: c}\n',
      fields: [{ path: 'documents[0]', message: expect.stringContaining('not valid YAML') }],
    },
    {
      name: 'too many aliases',
      text: `a: &a [x, x, x]\nb: &b [${'*a, '.repeat(60)}*a]\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`,
      fields: [{ path: 'documents[0]', message: expect.stringContaining('not valid YAML') }],
    },
    {
      name: 'a !!binary value',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbinaryData: {b: !!binary aGk=}\n',
      fields: [{ path: 'documents[0].binaryData.b', message: expect.stringContaining('only plain YAML') }],
    },
    {
      name: 'nothing at all',
      text: '# just a comment\n',
      fields: [{ path: 'documents', message: 'no documents' }],
    },
  ])('refuses $name', ({ text, fields }) => {
    expect(validateK8s(text, 'shop')).toEqual({ ok: false, fields });
  });

  it('keeps YAML parse errors free of the source text', () => {
    const result = validateK8s(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: s3cr3t: x}\n',
      'shop',
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });

  it('warns, without refusing, about privileged containers and host namespaces', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: agent}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: true
          volumes: [{name: root, hostPath: {path: /}}]
          containers:
            - {name: a, image: x, securityContext: {privileged: true}}
`;
    const result = validateK8s(text, 'shop');
    const base = 'documents[0].spec.jobTemplate.spec.template.spec';
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual([
      `${base}.hostNetwork`,
      `${base}.volumes[0].hostPath`,
      `${base}.containers[0].securityContext.privileged`,
    ]);
  });

  it('treats a __proto__ key as a plain key', () => {
    const result = validateK8s(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {__proto__: x}\n',
      'shop',
    );
    expect(result.ok && Object.keys(result.documents[0]?.data as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
