import { describe, expect, it } from 'vitest';
import { Findings } from './guard-core';
import { checkHostAddress } from './server-address';

const host = (value: unknown) => {
  const f = new Findings(new Date());
  const out = checkHostAddress(f, value, 'address');
  return { out, errors: f.errors };
};

describe('SSH host addresses', () => {
  it.each([
    ['web-1.internal', 'web-1.internal'],
    ['Web-1.Internal.', 'web-1.internal'],
    ['10.0.0.5', '10.0.0.5'],
    ['127.0.0.1', '127.0.0.1'],
    ['192.168.1.20', '192.168.1.20'],
    ['fd12::5', 'fd12::5'],
    ['[fd12::5]', 'fd12::5'],
    ['::1', '::1'],
    // Spellings getaddrinfo would also accept are normalised to the address they name.
    ['0x7f.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
  ])('accepts %s as %s', (input, normalised) => {
    expect(host(input)).toEqual({ out: normalised, errors: [] });
  });

  it.each([
    ['169.254.169.254', 'link-local'],
    ['2852039166', 'link-local'],
    ['0xa9fea9fe', 'link-local'],
    ['169.254.1.1', 'link-local'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'link-local'],
    ['100.100.100.200', 'link-local'],
    ['metadata.google.internal', 'link-local'],
    ['metadata.google.internal.', 'link-local'],
    ['0.0.0.0', 'unicast'],
    ['224.0.0.1', 'unicast'],
    ['255.255.255.255', 'unicast'],
    ['ff02::1', 'unicast'],
  ])('refuses %s', (input, why) => {
    const r = host(input);
    expect(r.out).toBeUndefined();
    expect(r.errors).toEqual([{ path: 'address', message: expect.stringContaining(why) }]);
  });

  it.each([
    ['user@host'],
    ['host:22'],
    ['host/path'],
    ['-oProxyCommand=x'],
    ['a..b'],
    ['1.2.3.999'],
    ['bad_name.example'],
    ['with space'],
    [`${'a'.repeat(64)}.example`],
    ['x'.repeat(254)],
  ])('refuses %s as no address', (input) => {
    const r = host(input);
    expect(r.out).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.path).toBe('address');
  });

  it('names a missing or non-string address', () => {
    expect(host(undefined).errors).toEqual([{ path: 'address', message: 'is required' }]);
    expect(host(5).errors).toEqual([{ path: 'address', message: 'must be a string' }]);
  });
});
