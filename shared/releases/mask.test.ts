import { describe, expect, it } from 'vitest';
import {
  MASK,
  maskK8sDocuments,
  maskText,
  maskValues,
  secretDigest,
  secretValuesOf,
  secretVariableDigests,
} from './mask';

const secret = (data: Record<string, string>, stringData?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  type: 'Opaque',
  data,
  ...(stringData ? { stringData } : {}),
});

describe('maskK8sDocuments', () => {
  it('masks every data and stringData value and keeps the keys', () => {
    const docs = [secret({ user: 'YWRtaW4=' }, { password: 'hunter2hunter2' })];
    const { masked } = maskK8sDocuments(docs);
    expect(masked).toEqual([secret({ user: MASK }, { password: MASK })]);
    expect(JSON.stringify(masked)).not.toContain('hunter2');
  });

  it('does not touch its input or documents of other kinds', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'visible' } };
    const s = secret({ a: 'eA==' });
    const { masked } = maskK8sDocuments([cm, s]);
    expect(masked[0]).toEqual(cm);
    expect(masked[0]).not.toBe(cm);
    expect(s.data.a).toBe('eA==');
  });

  it('digests the value each key will hold, so data and stringData spellings compare equal', () => {
    const asData = maskK8sDocuments([
      secret({ password: Buffer.from('pw-1').toString('base64') }),
    ]).secretDigests;
    const asString = maskK8sDocuments([secret({}, { password: 'pw-1' })]).secretDigests;
    const other = maskK8sDocuments([secret({}, { password: 'pw-2' })]).secretDigests;
    expect(Object.keys(asData)).toEqual(['Secret/db/password']);
    expect(asData).toEqual(asString);
    expect(asData['Secret/db/password']).not.toBe(other['Secret/db/password']);
  });

  it('lets stringData win a key present in both, as the API server does', () => {
    const both = maskK8sDocuments([
      secret({ k: Buffer.from('old').toString('base64') }, { k: 'new' }),
    ]).secretDigests;
    expect(both['Secret/db/k']).toBe(secretDigest(Buffer.from('new')));
  });

  it("masks kubectl's last-applied annotation, which copies the values", () => {
    const s = {
      ...secret({ a: 'eA==' }),
      metadata: {
        name: 'db',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"a":"eA=="}}' },
      },
    };
    expect(maskK8sDocuments([s]).masked[0]).toMatchObject({
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': MASK } },
    });
  });

  it('makes keyed digests differ from plain ones and from other keys', () => {
    const plain = secretDigest('v');
    expect(secretDigest('v', { key: 'k1' })).not.toBe(plain);
    expect(secretDigest('v', { key: 'k1' })).not.toBe(secretDigest('v', { key: 'k2' }));
    expect(plain).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('maskText', () => {
  it.each([
    { text: 'password=abc123 and abc123 again', values: ['abc123'], out: 'password=*** and *** again' },
    { text: 'token: longsecret', values: ['long', 'longsecret'], out: 'token: ***' },
    { text: 'nothing here', values: [], out: 'nothing here' },
    { text: 'empty values are ignored', values: [''], out: 'empty values are ignored' },
    { text: '{"v":"a\\"b"}', values: ['a"b'], out: '{"v":"***"}' },
  ])('masks $values in $text', ({ text, values, out }) => {
    expect(maskText(text, values)).toBe(out);
  });
});

describe('maskValues', () => {
  it('masks strings and keys at every depth and leaves other values alone', () => {
    const doc = { env: [{ name: 'PW', value: 'pre-s3cret-post' }], n: 3, ok: true, s3cret: null };
    expect(maskValues(doc, ['s3cret'])).toEqual({
      env: [{ name: 'PW', value: 'pre-***-post' }],
      n: 3,
      ok: true,
      '***': null,
    });
  });
});

describe('secret variables', () => {
  const vars = { TAG: '1.0', DB_PASSWORD: 'p4ss', API_KEY: 'k3y' };

  it('lists the values of the secret ones only', () => {
    expect(secretValuesOf(vars, ['DB_PASSWORD', 'API_KEY', 'ABSENT'])).toEqual(['p4ss', 'k3y']);
  });

  it('digests the secret ones given, by name', () => {
    const digests = secretVariableDigests(vars, ['DB_PASSWORD', 'API_KEY', 'ABSENT']);
    expect(Object.keys(digests)).toEqual(['API_KEY', 'DB_PASSWORD']);
    expect(digests.DB_PASSWORD).toBe(secretDigest('p4ss'));
    expect(JSON.stringify(digests)).not.toContain('p4ss');
  });
});
