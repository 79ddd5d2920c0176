import { describe, expect, it } from 'vitest';
import { tagOf } from './act';

describe('the TAG a build image gives (SPEC §7.0: after its last `:`)', () => {
  it('takes the tag, not a registry port, and ignores a digest', () => {
    expect(tagOf('registry.internal/web:1.4.2')).toBe('1.4.2');
    expect(tagOf('127.0.0.1:5000/web:r562')).toBe('r562');
    expect(tagOf('127.0.0.1:5000/web')).toBeNull();
    expect(tagOf('registry.internal/web:v2@sha256:abcd')).toBe('v2');
    expect(tagOf('web:')).toBeNull();
  });
});
