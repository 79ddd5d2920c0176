import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock';
import { issueAccessToken, VERIFIED_TOKENS_KEPT, verifyAccessToken } from './tokens';

const newKey = () =>
  webcrypto.subtle.importKey(
    'raw',
    webcrypto.getRandomValues(new Uint8Array(32)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );

describe('verifyAccessToken with verified tokens kept', () => {
  it('still refuses a token once it has expired, after it was accepted', async () => {
    const key = await newKey();
    const clock = manualClock();
    const token = await issueAccessToken('usr_a', key, clock, 60, 3);
    expect(await verifyAccessToken(token, key, clock)).toMatchObject({ sub: 'usr_a', ep: 3 });
    expect(await verifyAccessToken(token, key, clock)).toMatchObject({ sub: 'usr_a', ep: 3 });
    clock.advance(60_000);
    expect(await verifyAccessToken(token, key, clock)).toBeNull();
  });

  it('does not accept under another key a token verified under the first', async () => {
    const [key, other] = [await newKey(), await newKey()];
    const clock = manualClock();
    const token = await issueAccessToken('usr_a', key, clock, 60);
    expect(await verifyAccessToken(token, key, clock)).not.toBeNull();
    expect(await verifyAccessToken(token, other, clock)).toBeNull();
  });

  it('refuses a tampered token every time, even next to its verified original', async () => {
    const key = await newKey();
    const clock = manualClock();
    const token = await issueAccessToken('usr_a', key, clock, 60);
    expect(await verifyAccessToken(token, key, clock)).not.toBeNull();
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'usr_admin' })).toString('base64url')}.${s}`;
    expect(await verifyAccessToken(forged, key, clock)).toBeNull();
    expect(await verifyAccessToken(forged, key, clock)).toBeNull();
  });

  it('keeps answering correctly past the bound (oldest tokens verified again)', async () => {
    const key = await newKey();
    const clock = manualClock();
    const first = await issueAccessToken('usr_0', key, clock, 3600);
    expect(await verifyAccessToken(first, key, clock)).toMatchObject({ sub: 'usr_0' });
    for (let i = 1; i <= VERIFIED_TOKENS_KEPT; i++) {
      await verifyAccessToken(await issueAccessToken(`usr_${i}`, key, clock, 3600), key, clock);
    }
    expect(await verifyAccessToken(first, key, clock)).toMatchObject({ sub: 'usr_0' });
  });

  it('gives claims that callers cannot change for the next request', async () => {
    const key = await newKey();
    const clock = manualClock();
    const token = await issueAccessToken('usr_a', key, clock, 60);
    const claims = await verifyAccessToken(token, key, clock);
    expect(Object.isFrozen(claims)).toBe(true);
  });
});
