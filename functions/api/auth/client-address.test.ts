import { describe, expect, it } from 'vitest';
import {
  type AddressEvidence,
  type AddressTrust,
  clientAddress,
  ORIGIN_VERIFY_HEADER,
} from './client-address';

const evidence = (
  e: Partial<Omit<AddressEvidence, 'header'>> & { headers?: Record<string, string> },
): AddressEvidence => ({
  socket: e.socket,
  gatewaySourceIp: e.gatewaySourceIp,
  header: (name) => e.headers?.[name.toLowerCase()],
});
const none: AddressTrust = { trustedProxies: undefined, originSecret: undefined };
const proxies: AddressTrust = { trustedProxies: ['10.0.0.0/8', '::1/128'], originSecret: undefined };
const SECRET = 'origin-verify-value-for-tests-0123456789';
const cloud: AddressTrust = { trustedProxies: undefined, originSecret: SECRET };

describe('clientAddress', () => {
  it('uses the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    const e = evidence({ socket: '203.0.113.9', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(clientAddress(e, none)).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const e = evidence({ socket: '203.0.113.9', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(clientAddress(e, proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most address no trusted proxy vouches for, not what the client put first', () => {
    const e = evidence({
      socket: '10.0.0.2',
      headers: { 'x-forwarded-for': '1.2.3.4, 198.51.100.7, 10.0.0.5' },
    });
    expect(clientAddress(e, proxies)).toBe('198.51.100.7');
    expect(
      clientAddress(evidence({ socket: '::1', headers: { 'x-forwarded-for': '2001:db8::7' } }), proxies),
    ).toBe('2001:db8::7');
  });

  it('falls back to the last trusted hop when the header holds no usable address', () => {
    expect(clientAddress(evidence({ socket: '10.0.0.2' }), proxies)).toBe('10.0.0.2');
    const junk = evidence({ socket: '10.0.0.2', headers: { 'x-forwarded-for': 'evil, 10.0.0.9' } });
    expect(clientAddress(junk, proxies)).toBe('10.0.0.9');
  });

  it('uses API Gateway’s source IP in the cloud, and CloudFront-Viewer-Address only with the origin secret', () => {
    const headers = { 'cloudfront-viewer-address': '198.51.100.10:46532' };
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers }), cloud)).toBe('130.176.0.1');
    const forged = { ...headers, [ORIGIN_VERIFY_HEADER]: `${SECRET.slice(0, -1)}x` };
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers: forged }), cloud)).toBe(
      '130.176.0.1',
    );
    const shorter = { ...headers, [ORIGIN_VERIFY_HEADER]: SECRET.slice(0, 8) };
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers: shorter }), cloud)).toBe(
      '130.176.0.1',
    );
    const proven = { ...headers, [ORIGIN_VERIFY_HEADER]: SECRET };
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers: proven }), cloud)).toBe(
      '198.51.100.10',
    );
    const v6 = { [ORIGIN_VERIFY_HEADER]: SECRET, 'cloudfront-viewer-address': '2001:db8::1:46532' };
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers: v6 }), cloud)).toBe(
      '2001:db8::1',
    );
    // Without a configured secret CloudFront's header is never believed.
    expect(clientAddress(evidence({ gatewaySourceIp: '130.176.0.1', headers: proven }), none)).toBe(
      '130.176.0.1',
    );
  });
});
