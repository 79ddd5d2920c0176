import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { cancelJobs, lockQueuedJobs } from '../jobs/service';
import { expirePreview, isPreviewDue, SYSTEM, transition } from './lifecycle';
import { duePreviews, lockRelease, lockTarget, unclaimedApproved } from './repo';

/** Previews nobody applied in time become `expired`; bounded per run. */
export async function expireDuePreviews(db: Db, clock: Clock, limit = 200): Promise<number> {
  let n = 0;
  for (const due of await duePreviews(db, clock.now(), limit)) {
    const done = await db.transaction(async (tx) => {
      const r = await lockRelease(tx, due.id);
      if (!r || !isPreviewDue(r, clock)) return false;
      await expirePreview(tx, clock, r);
      return true;
    });
    if (done) n += 1;
  }
  return n;
}

/**
 * Approved releases no runner claimed within `ttlSeconds` become `expired` and their job ends, so
 * a target whose environment has no working runner is not held for good (SPEC §7.0). Bounded per run.
 */
export async function expireUnclaimedApproved(
  db: Db,
  clock: Clock,
  ttlSeconds: number,
  limit = 200,
): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - ttlSeconds * 1000);
  let n = 0;
  for (const due of await unclaimedApproved(db, cutoff, limit)) {
    const done = await db.transaction(async (tx) => {
      // The order a claim takes: job, target, release; a claim that got there first wins.
      const jobs = await lockQueuedJobs(tx, 'release', due.id);
      await lockTarget(tx, due.targetId);
      const r = await lockRelease(tx, due.id);
      if (r?.lifecycleState !== 'approved' || r.updatedAt > cutoff) return false;
      await transition(
        tx,
        clock,
        r,
        'expired',
        SYSTEM,
        {},
        { reason: 'approved_unclaimed', ttl_seconds: ttlSeconds },
      );
      await cancelJobs(tx, clock, jobs, SYSTEM);
      return true;
    });
    if (done) n += 1;
  }
  return n;
}
