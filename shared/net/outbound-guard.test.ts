import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, refusedOutboundAddress } from './outbound-guard';

const open = { allowPrivate: true, allowCidrs: [] };
const cloud = { allowPrivate: false, allowCidrs: [] };
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address }));

describe('outbound guard', () => {
  it('never calls link-local or metadata addresses, however they are spelled', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/',
    ]) {
      const check = await checkOutboundUrl(url, open);
      expect(check.ok, url).toBe(false);
    }
  });

  it('refuses a name that resolves to a metadata address, naming the address', async () => {
    const check = await checkOutboundUrl(
      'https://hooks.example.test/x',
      open,
      resolvesTo('10.0.0.5', '169.254.169.254'),
    );
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('169.254.169.254') });
  });

  it('allows loopback and private ranges on the embedded default, and answers the address to dial', async () => {
    const check = await checkOutboundUrl('http://hooks.example.test:8080/in', open, resolvesTo('127.0.0.1'));
    expect(check).toMatchObject({ ok: true, address: '127.0.0.1' });
  });

  it('in the cloud refuses loopback and private ranges unless an allowed range lists them', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '::1',
      'fd12::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(refusedOutboundAddress(a, cloud), a).toBeDefined();
    }
    expect(
      refusedOutboundAddress('10.1.2.3', { allowPrivate: false, allowCidrs: ['10.1.0.0/16'] }),
    ).toBeUndefined();
    expect(
      refusedOutboundAddress('10.2.0.1', { allowPrivate: false, allowCidrs: ['10.1.0.0/16'] }),
    ).toBeDefined();
    expect(refusedOutboundAddress('203.0.113.7', cloud)).toBeUndefined();
  });

  it('refuses what is not an http URL or carries credentials', async () => {
    expect((await checkOutboundUrl('file:///etc/passwd', open)).ok).toBe(false);
    expect((await checkOutboundUrl('https://user:pw@203.0.113.7/', open)).ok).toBe(false);
    expect((await checkOutboundUrl('not a url', open)).ok).toBe(false);
    expect(
      (
        await checkOutboundUrl('https://nowhere.invalid/', open, async () =>
          Promise.reject(new Error('ENOTFOUND')),
        )
      ).ok,
    ).toBe(false);
  });
});
