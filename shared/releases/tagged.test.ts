import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MASK, maskTextAs, secretTag, taggedMask } from './mask';
import { composeTaggedText, k8sTaggedText, maskedDigest } from './revision';

const key = randomBytes(32);
const show = taggedMask(key);
const secretDoc = (password: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  stringData: { password },
  data: { user: Buffer.from('admin').toString('base64') },
});
const configMap = (url: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' },
  data: { url },
});

describe('the masked revision text', () => {
  it('shows every k8s Secret value and secret variable as *** and a tag, never the value', () => {
    const text = k8sTaggedText(
      [secretDoc('hunter2-pw'), configMap('postgres://u:tok-9@db')],
      { TOKEN: 'tok-9' },
      show,
    );
    expect(text).not.toContain('hunter2-pw');
    expect(text).not.toContain('tok-9');
    expect(text).not.toContain(Buffer.from('admin').toString('base64'));
    // YAML quotes a scalar starting with `*` (an alias otherwise): still exactly the bytes read back.
    expect(text).toContain(`password: "${MASK}${secretTag(key, 'Secret/db/password', 'hunter2-pw')}"`);
    expect(text).toContain(`postgres://u:${MASK}${secretTag(key, 'TOKEN', 'tok-9')}@db`);
  });

  it('keeps a tag while the value stays and changes it when the value changes', () => {
    const a = k8sTaggedText([secretDoc('pw-1')], {}, show);
    expect(k8sTaggedText([secretDoc('pw-1')], {}, show)).toBe(a);
    expect(k8sTaggedText([secretDoc('pw-2')], {}, show)).not.toBe(a);
    // Another target's key tags the same value differently.
    expect(k8sTaggedText([secretDoc('pw-1')], {}, taggedMask(randomBytes(32)))).not.toBe(a);
  });

  it('tags a compose secret written escaped like the value itself', () => {
    const text = composeTaggedText('A: pa$$word\nB: pa$word\n', { A: 'pa$word' }, show);
    const tag = `${MASK}${secretTag(key, 'A', 'pa$word')}`;
    expect(text).toBe(`A: ${tag}\nB: ${tag}\n`);
  });

  it('never searches a short secret inside the tag of another', () => {
    const long = 'long-secret-value';
    const masks = new Map([
      [long, show('LONG', long)],
      ['a', show('SHORT', 'a')],
    ]);
    const out = maskTextAs(`x=${long} y=a`, masks);
    expect(out).toBe(`x=${show('LONG', long)} y=${show('SHORT', 'a')}`);
  });

  it('digests exactly the text as sha256 hex', () => {
    expect(maskedDigest('é\n')).toBe(createHash('sha256').update(Buffer.from('é\n', 'utf8')).digest('hex'));
  });
});
