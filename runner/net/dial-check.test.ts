import { describe, expect, it } from 'vitest';
import { StepError } from '../jobs/steps';
import { dialableAddress } from './dial-check';

describe('the address a runner dials', () => {
  it('returns the resolved address of a name, so the checked address is the dialled one', async () => {
    expect(['127.0.0.1', '::1']).toContain(await dialableAddress('localhost', 'SSH_CONNECT'));
    expect(await dialableAddress('10.0.0.5', 'SSH_CONNECT')).toBe('10.0.0.5');
    expect(await dialableAddress('[::1]', 'SSH_CONNECT')).toBe('::1');
  });

  it.each([
    ['169.254.169.254', 'SSH_CONNECT'],
    ['fe80::1', 'SSH_CONNECT'],
    ['metadata.google.internal', 'CLUSTER_UNREACHABLE'],
    ['224.0.0.1', 'CLUSTER_UNREACHABLE'],
  ] as const)('refuses %s with %s before any connection', async (host, code) => {
    const e = await dialableAddress(host, code).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StepError);
    expect((e as StepError).code).toBe(code);
  });
});
