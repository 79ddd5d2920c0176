import type { webcrypto } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import type { Clock } from '../../platform/clock';

export const ISSUER = 'k8s-manage';
export const AUDIENCE = 'k8s-manage-api';
/** Pinned: the token header never chooses the algorithm. */
const ALG = 'HS256' as const;

/** `ep`: the user's token epoch at issue; a token older than the user's current epoch is refused. */
export type AccessClaims = { sub: string; iat: number; exp: number; iss: string; aud: string; ep: number };

export async function issueAccessToken(
  userId: string,
  key: webcrypto.CryptoKey,
  clock: Clock,
  ttlSeconds: number,
  tokenEpoch = 0,
) {
  const iat = Math.floor(clock.now().getTime() / 1000);
  const claims: AccessClaims = {
    sub: userId,
    iat,
    exp: iat + ttlSeconds,
    iss: ISSUER,
    aud: AUDIENCE,
    ep: tokenEpoch,
  };
  return sign(claims, key, ALG);
}

/**
 * Tokens whose signature this key has verified, with their claims: a client sends the same token
 * on every request until it expires, and the HMAC check through WebCrypto is about a tenth of a
 * cached read like /me. Only tokens that verified are kept, so a flood of forged ones cannot fill
 * it; per key, so a new key trusts nothing the old one signed; bounded, oldest out first.
 */
const verified = new WeakMap<webcrypto.CryptoKey, Map<string, AccessClaims>>();
export const VERIFIED_TOKENS_KEPT = 1024;

/** The claims of a valid token, or null for anything else (malformed, tampered, expired, other alg). */
export async function verifyAccessToken(
  token: string,
  key: webcrypto.CryptoKey,
  clock: Clock,
): Promise<AccessClaims | null> {
  let kept = verified.get(key);
  if (!kept) {
    kept = new Map();
    verified.set(key, kept);
  }
  const known = kept.get(token);
  if (known) {
    // The signature holds for good; the times are checked against the clock on every use.
    const now = Math.floor(clock.now().getTime() / 1000);
    return known.exp > now && known.iat <= now + 60 ? known : null;
  }
  const claims = await verifySigned(token, key, clock);
  if (claims) {
    if (kept.size >= VERIFIED_TOKENS_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(token, Object.freeze(claims));
  }
  return claims;
}

async function verifySigned(
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
    // Tokens from before epochs existed carry none: they belong to epoch 0.
    const ep = payload.ep ?? 0;
    if (typeof ep !== 'number' || !Number.isInteger(ep)) return null;
    return { ...(payload as Omit<AccessClaims, 'ep'>), ep };
  } catch {
    return null;
  }
}

/** What login and refresh answer: a fresh access token for the user at their current epoch. */
export async function accessGrant(
  user: { id: string; tokenEpoch: number },
  deps: { jwtKey: webcrypto.CryptoKey; clock: Clock; config: { tokenTtlSeconds: number } },
) {
  const ttl = deps.config.tokenTtlSeconds;
  return {
    access_token: await issueAccessToken(user.id, deps.jwtKey, deps.clock, ttl, user.tokenEpoch),
    token_type: 'Bearer' as const,
    expires_in: ttl,
  };
}
