// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates with ${VAR} placeholders are the subject under test
import { describe, expect, it } from 'vitest';
import { type PreviewHashInput, previewHash, previewHashPreimage, revisionDigest } from './hash';

const base: PreviewHashInput = {
  template: 'image: web:${TAG}\n',
  variables: { TAG: '1.0', DB_PASSWORD: 'hunter2-hunter2' },
  targetRevisionDigest: 'a'.repeat(64),
  context: { strategy: 'rolling', namespace: 'shop' },
};

describe('previewHash', () => {
  it('is a stable sha256 hex, whatever the order of variables or context keys', () => {
    const reordered: PreviewHashInput = {
      ...base,
      variables: { DB_PASSWORD: 'hunter2-hunter2', TAG: '1.0' },
      context: { namespace: 'shop', strategy: 'rolling' },
    };
    expect(previewHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(previewHash(reordered)).toBe(previewHash(base));
  });

  it.each([
    ['the template', { template: 'image: web:${TAG} \n' }],
    ['a variable value', { variables: { TAG: '1.1', DB_PASSWORD: 'hunter2-hunter2' } }],
    ['a secret variable value', { variables: { TAG: '1.0', DB_PASSWORD: 'hunter3-hunter3' } }],
    ['a variable more', { variables: { TAG: '1.0', DB_PASSWORD: 'hunter2-hunter2', X: '' } }],
    ['the revision on the target', { targetRevisionDigest: 'b'.repeat(64) }],
    ['nothing on the target yet', { targetRevisionDigest: null }],
    ['the strategy', { context: { strategy: 'recreate', namespace: 'shop' } }],
  ] as [string, Partial<PreviewHashInput>][])('changes with %s', (_, change) => {
    expect(previewHash({ ...base, ...change })).not.toBe(previewHash(base));
  });

  it('keeps values out of its preimage', () => {
    const preimage = previewHashPreimage(base);
    expect(preimage).not.toContain('hunter2');
    expect(preimage).not.toContain('web:${TAG}');
  });
});

describe('revisionDigest', () => {
  it('is the sha256 of the text', () => {
    expect(revisionDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(revisionDigest('a: 1\n')).not.toBe(revisionDigest('a: 2\n'));
  });
});
