import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { Deps } from '../deps';
import type { Actor } from '../env';
import { ApiError } from '../errors';
import { findUserById } from '../users/repo';
import {
  findRefreshToken,
  insertRefreshToken,
  purgeEndedFamilies,
  type RefreshRow,
  revokeFamily,
  takeRefreshToken,
} from './sessions-repo';
import { accessGrant } from './tokens';

/** A refresh token as the cookie carries it, and when it stops working. */
export type IssuedRefresh = { token: string; expiresAt: Date };

/** 256 random bits: guessing one is hopeless, so refresh needs no throttle of its own. */
const newToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** One answer for every refusal: the caller learns nothing about whose token it was or why. */
const sessionEnded = () => new ApiError('UNAUTHENTICATED', 'no valid session; sign in again');

const ended = (row: RefreshRow, now: Date) => row.expiresAt <= now || row.familyExpiresAt <= now;

type Family = Pick<RefreshRow, 'familyId' | 'userId' | 'tokenEpoch' | 'familyExpiresAt'>;

async function issue(tx: Db, family: Family, now: Date, idleSeconds: number): Promise<IssuedRefresh> {
  const token = newToken();
  const idleEnd = new Date(now.getTime() + idleSeconds * 1000);
  const expiresAt = idleEnd < family.familyExpiresAt ? idleEnd : family.familyExpiresAt;
  await insertRefreshToken(tx, {
    ...family,
    tokenHash: hashOf(token),
    createdAt: now,
    expiresAt,
    revokedAt: null,
  });
  return { token, expiresAt };
}

/** At sign-in, inside its transaction: a new family whose absolute end starts counting now. */
export async function startSession(
  tx: Db,
  user: { id: string; tokenEpoch: number },
  deps: { clock: Clock; config: Pick<Config, 'session'> },
): Promise<IssuedRefresh> {
  const now = deps.clock.now();
  await purgeEndedFamilies(tx, user.id, now);
  const { idleSeconds, maxSeconds } = deps.config.session;
  const family = {
    familyId: newId('rtf', now.getTime()),
    userId: user.id,
    tokenEpoch: user.tokenEpoch,
    familyExpiresAt: new Date(now.getTime() + maxSeconds * 1000),
  };
  return issue(tx, family, now, idleSeconds);
}

type RefreshDeps = Pick<Deps, 'database' | 'clock' | 'jwtKey' | 'config'>;

/**
 * Trades a refresh token for an access token and the family's next refresh token; the one shown
 * is revoked either way. A token shown after it was already traded means two holders (the
 * user and a thief, and which is which is unknown): the whole family is revoked. A password
 * change or a disable since the family began (an older epoch) ends it too. Refusals that revoke
 * are committed and audited before the 401.
 */
export async function refreshSession(token: string | undefined, source: Actor['source'], deps: RefreshDeps) {
  if (!token) throw sessionEnded();
  const now = deps.clock.now();
  const hash = hashOf(token);
  const outcome = await deps.database.db.transaction(async (tx) => {
    const audit = async (row: RefreshRow, reason: string) => {
      await recordEvent(tx, deps.clock, {
        action: 'auth.refresh_failed',
        resourceType: 'user',
        resourceId: row.userId,
        actor: { userId: null, source },
        status: 'failed',
        detail: { reason, family_id: row.familyId },
      });
      return null;
    };
    const refuse = async (row: RefreshRow, reason: string) => {
      await revokeFamily(tx, row.familyId, now);
      return audit(row, reason);
    };
    const row = await takeRefreshToken(tx, hash, now);
    if (!row) {
      const seen = await findRefreshToken(tx, hash);
      // Unknown, or so old that nothing of its family works any more: nothing to protect.
      if (!seen || ended(seen, now)) return null;
      // A session already over (logout, an earlier reuse) has nothing left to take away.
      if ((await revokeFamily(tx, seen.familyId, now)) === 0) return null;
      return audit(seen, 'reused');
    }
    const user = await findUserById(tx, row.userId);
    if (ended(row, now)) return refuse(row, 'expired');
    if (!user || user.disabled) return refuse(row, 'disabled');
    if (row.tokenEpoch < user.tokenEpoch) return refuse(row, 'token_epoch');
    const next = await issue(tx, row, now, deps.config.session.idleSeconds);
    await recordEvent(tx, deps.clock, {
      action: 'auth.refreshed',
      resourceType: 'user',
      resourceId: user.id,
      actor: { userId: user.id, source },
      detail: { family_id: row.familyId },
    });
    return { user, next };
  });
  if (!outcome) throw sessionEnded();
  return { grant: await accessGrant(outcome.user, deps), refresh: outcome.next };
}

/** Ends the session the token belongs to (its whole family); an unknown or absent token is no error. */
export async function endSession(token: string | undefined, source: Actor['source'], deps: RefreshDeps) {
  if (!token) return;
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const row = await findRefreshToken(tx, hashOf(token));
    if (!row || (await revokeFamily(tx, row.familyId, now)) === 0) return;
    await recordEvent(tx, deps.clock, {
      action: 'auth.logged_out',
      resourceType: 'user',
      resourceId: row.userId,
      actor: { userId: row.userId, source },
      detail: { family_id: row.familyId },
    });
  });
}
