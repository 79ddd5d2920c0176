import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import { duePreviews, lockRelease, moveRelease } from './repo';

/** Previews nobody applied in time become `expired`; bounded per run. */
export async function expireDuePreviews(db: Db, clock: Clock, limit = 200): Promise<number> {
  let n = 0;
  for (const due of await duePreviews(db, clock.now(), limit)) {
    const done = await db.transaction(async (tx) => {
      const r = await lockRelease(tx, due.id);
      if (r?.lifecycleState !== 'preview' || r.expiresAt > clock.now()) return false;
      if (!(await moveRelease(tx, r.id, 'preview', { lifecycleState: 'expired', updatedAt: clock.now() })))
        return false;
      await recordEvent(tx, clock, {
        action: 'release.expired',
        resourceType: 'release',
        resourceId: r.id,
        projectId: r.projectId,
        environmentId: r.environmentId,
        actor: { userId: null, source: 'system' },
        status: 'expired',
        detail: { reason: 'preview_expired' },
      });
      return true;
    });
    if (done) n += 1;
  }
  return n;
}
