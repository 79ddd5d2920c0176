import { describe, expect, it } from 'vitest';
import { host } from '../../test/support/compose';
import { dialectKey, dialects } from './dialects';

const KEY_A = `SHA256:${'A'.repeat(43)}`;
const KEY_B = `SHA256:${'B'.repeat(43)}`;

describe('compose dialects remembered per host', () => {
  it('remembers per host and host key, and forgets on request', () => {
    const h = host('hst_dialects_1');
    const a = dialectKey(h, KEY_A);
    dialects.set(a, { dialect: 'v1', version: 'docker-compose version 1.29.2' });
    expect(dialects.get(dialectKey(h, KEY_A))).toEqual({
      dialect: 'v1',
      version: 'docker-compose version 1.29.2',
    });
    // A new host key (the machine was replaced) or another login is probed again.
    expect(dialects.get(dialectKey(h, KEY_B))).toBeUndefined();
    expect(dialects.get(dialectKey({ ...h, username: 'other' }, KEY_A))).toBeUndefined();
    dialects.forget(a);
    expect(dialects.get(a)).toBeUndefined();
  });

  it('remembers nothing for a connection that showed no well-formed host key', () => {
    const h = host('hst_dialects_2');
    expect(dialectKey(h, 'not a fingerprint')).toBeNull();
    dialects.set(null, { dialect: 'v2', version: 'x' });
    expect(dialects.get(null)).toBeUndefined();
  });
});
