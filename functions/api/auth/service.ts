import { recordEvent } from '../audit/writer';
import type { Deps } from '../deps';
import type { Actor } from '../env';
import { ApiError } from '../errors';
import { findUserByUsername } from '../users/repo';
import { decoyHash, verifyPassword } from './password';
import { clearFailures, countFailure, failuresIn } from './repo';
import { issueAccessToken } from './tokens';

/** Failed attempts per username per window: slows guessing one account to a crawl. */
export const USER_FAILURE_LIMIT = 5;
/** Failed attempts per client address per window: generous, so one office is never locked out. */
export const ADDRESS_FAILURE_LIMIT = 100;
export const WINDOW_SECONDS = 60;

export type LoginInput = { username: string; password: string; address: string; source: Actor['source'] };

export async function login(input: LoginInput, deps: Pick<Deps, 'database' | 'clock' | 'jwtKey' | 'config'>) {
  const { db } = deps.database;
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - WINDOW_SECONDS * 1000);
  const userBucket = `user:${input.username.toLowerCase()}`;
  const addrBucket = `addr:${input.address}`;
  const [userFailures, addrFailures] = [
    await failuresIn(db, userBucket, windowStart),
    await failuresIn(db, addrBucket, windowStart),
  ];
  // Refuse before checking the password: a throttled guess must not learn whether it was right.
  if (userFailures >= USER_FAILURE_LIMIT || addrFailures >= ADDRESS_FAILURE_LIMIT) {
    throw new ApiError('THROTTLED', 'too many failed logins; try again later', [], {
      'Retry-After': String(WINDOW_SECONDS),
    });
  }

  const user = await findUserByUsername(db, input.username);
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await decoyHash().then(() => false);
  if (!user || !ok || user.disabled) {
    await db.transaction(async (tx) => {
      await countFailure(tx, userBucket, now, windowStart);
      await countFailure(tx, addrBucket, now, windowStart);
      await recordEvent(tx, deps.clock, {
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user?.id ?? 'unknown',
        actor: { userId: null, source: input.source },
        status: 'failed',
        detail: { reason: !user ? 'unknown_user' : user.disabled ? 'disabled' : 'bad_password' },
      });
    });
    throw new ApiError('UNAUTHENTICATED', 'invalid username or password');
  }

  await db.transaction(async (tx) => {
    await clearFailures(tx, userBucket);
    await recordEvent(tx, deps.clock, {
      action: 'auth.login_succeeded',
      resourceType: 'user',
      resourceId: user.id,
      actor: { userId: user.id, source: input.source },
    });
  });
  const ttl = deps.config.tokenTtlSeconds;
  return {
    access_token: await issueAccessToken(user.id, deps.jwtKey, deps.clock, ttl),
    token_type: 'Bearer' as const,
    expires_in: ttl,
  };
}
