import type { webcrypto } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import type { Clock } from '../../platform/clock';

export const ISSUER = 'k8s-manage';
export const AUDIENCE = 'k8s-manage-api';
/** Pinned: the token header never chooses the algorithm. */
const ALG = 'HS256' as const;

export type AccessClaims = { sub: string; iat: number; exp: number; iss: string; aud: string };

export async function issueAccessToken(
  userId: string,
  key: webcrypto.CryptoKey,
  clock: Clock,
  ttlSeconds: number,
) {
  const iat = Math.floor(clock.now().getTime() / 1000);
  const claims: AccessClaims = { sub: userId, iat, exp: iat + ttlSeconds, iss: ISSUER, aud: AUDIENCE };
  return sign(claims, key, ALG);
}

/** The claims of a valid token, or null for anything else (malformed, tampered, expired, other alg). */
export async function verifyAccessToken(
  token: string,
  key: webcrypto.CryptoKey,
  clock: Clock,
): Promise<AccessClaims | null> {
  try {
    // exp/nbf are checked below against our clock, so tests (and clock skew policy) stay in one place.
    const payload = await verify(token, key, {
      alg: ALG,
      iss: ISSUER,
      aud: AUDIENCE,
      exp: false,
      nbf: false,
      iat: false,
    });
    const now = Math.floor(clock.now().getTime() / 1000);
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || payload.exp <= now) return null;
    if (typeof payload.iat !== 'number' || payload.iat > now + 60) return null;
    return payload as AccessClaims;
  } catch {
    return null;
  }
}
