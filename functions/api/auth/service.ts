import { recordEvent } from '../audit/writer';
import type { Deps } from '../deps';
import type { Actor } from '../env';
import { ApiError } from '../errors';
import { findUserByUsername } from '../users/repo';
import { clearFailures, releaseAttempt, reserveAttempt } from './repo';
import { startSession } from './sessions';
import { accessGrant } from './tokens';

/** Failed attempts per username per window: slows guessing one account to a crawl. */
export const USER_FAILURE_LIMIT = 5;
/** Failed attempts per client address per window: generous, so one office is never locked out. */
export const ADDRESS_FAILURE_LIMIT = 100;
export const WINDOW_SECONDS = 60;

export type LoginInput = { username: string; password: string; address: string; source: Actor['source'] };

const throttled = () =>
  new ApiError('THROTTLED', 'too many failed logins; try again later', [], {
    'Retry-After': String(WINDOW_SECONDS),
  });

/**
 * Counts the attempt in both buckets before the password is checked, so parallel guesses are
 * counted as they arrive (at most USER_FAILURE_LIMIT of them ever reach scrypt). Either bucket
 * full: nothing is counted (the transaction rolls back) and the attempt is refused unchecked, so
 * a throttled guess never learns whether it was right. Returns the windows counted in.
 */
async function reserve(deps: Pick<Deps, 'database'>, buckets: { user: string; addr: string }, now: Date) {
  const windowStart = new Date(now.getTime() - WINDOW_SECONDS * 1000);
  return deps.database.db.transaction(async (tx) => {
    // Always user then address: concurrent logins lock the rows in one order and never deadlock.
    const user = await reserveAttempt(tx, buckets.user, now, windowStart, USER_FAILURE_LIMIT);
    const addr = user && (await reserveAttempt(tx, buckets.addr, now, windowStart, ADDRESS_FAILURE_LIMIT));
    if (!user || !addr) throw throttled();
    return { user, addr };
  });
}

export async function login(
  input: LoginInput,
  deps: Pick<Deps, 'database' | 'clock' | 'jwtKey' | 'config' | 'passwords'>,
) {
  const { db } = deps.database;
  const now = deps.clock.now();
  const buckets = { user: `user:${input.username.toLowerCase()}`, addr: `addr:${input.address}` };
  const reserved = await reserve(deps, buckets, now);

  const user = await findUserByUsername(db, input.username);
  // Unknown users pay for the same scrypt against a decoy hash: timing does not tell who exists.
  const stored = user?.passwordHash ?? (await deps.passwords.decoy());
  const ok = await deps.passwords.verify(input.password, stored);
  if (!user || !ok || user.disabled) {
    // The reserved attempt stays counted: it was a failure.
    await db.transaction(async (tx) => {
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

  const refresh = await db.transaction(async (tx) => {
    // Only failures count: a success clears its username and gives its address attempt back.
    await clearFailures(tx, buckets.user);
    await releaseAttempt(tx, buckets.addr, reserved.addr);
    await recordEvent(tx, deps.clock, {
      action: 'auth.login_succeeded',
      resourceType: 'user',
      resourceId: user.id,
      actor: { userId: user.id, source: input.source },
    });
    return startSession(tx, user, deps);
  });
  return { grant: await accessGrant(user, deps), refresh };
}
