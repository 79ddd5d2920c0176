import { describe, expect, it } from 'vitest';
import { etagOf, matches } from './etag';

describe('conditional GET tags', () => {
  it('change with any change of the body and only then', () => {
    const a = etagOf({ items: [{ seq: 1, status: 'running' }] });
    expect(etagOf({ items: [{ seq: 1, status: 'running' }] })).toBe(a);
    expect(etagOf({ items: [{ seq: 1, status: 'succeeded' }] })).not.toBe(a);
    expect(a).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('match If-None-Match lists, weak forms and *, and nothing else', () => {
    const tag = etagOf({ x: 1 });
    expect(matches(tag, tag)).toBe(true);
    expect(matches(`"other", W/${tag}`, tag)).toBe(true);
    expect(matches('*', tag)).toBe(true);
    expect(matches('"other"', tag)).toBe(false);
    expect(matches(undefined, tag)).toBe(false);
    expect(matches('', tag)).toBe(false);
  });
});
