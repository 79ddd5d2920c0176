import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { expirePreview, isPreviewDue } from './lifecycle';
import { duePreviews, lockRelease } from './repo';

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
