import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { JobQueue } from '../../platform/queue/types';
import type { JobKinds } from '../jobs/kind';
import { markDispatched, stuckJobs, undispatchedJobs } from '../jobs/repo';
import { deadLetter } from '../jobs/service';

/**
 * The outbox: marks, then sends, the queue message of every committed job that has a pool and has
 * not been sent yet. Run after each request that queued a job (see `jobs/outbox.ts`) and by the sweep. Marking first matters: the
 * mark's row lock must be gone before a woken claimer looks, or its `skip locked` passes the job
 * over (and with SQS the message would be acked away). A send that fails un-marks its jobs for
 * the sweep; a send lost after its mark (a crash in between) is repeated by the sweep, which also
 * re-sends queued jobs nobody claimed for a while. Sending twice is harmless: a claim takes a job
 * once and acks the other message.
 */
export async function dispatchQueued(
  db: Db,
  queue: JobQueue,
  clock: Clock,
  opts: { limit?: number; resendAfterMs?: number } = {},
) {
  const resendBefore =
    opts.resendAfterMs === undefined ? undefined : new Date(clock.now().getTime() - opts.resendAfterMs);
  const rows = await undispatchedJobs(db, opts.limit ?? 100, resendBefore);
  const byPool = new Map<string, string[]>();
  for (const r of rows)
    if (r.runnerPoolId) byPool.set(r.runnerPoolId, [...(byPool.get(r.runnerPoolId) ?? []), r.id]);
  for (const [pool, ids] of byPool) {
    await markDispatched(db, ids, clock.now());
    try {
      await queue.publish(pool, ids).catch(async () => {
        // A pool made before this queue existed (say, before SQS was configured) has no queue yet.
        await queue.createPool(pool);
        await queue.publish(pool, ids);
      });
    } catch (e) {
      await markDispatched(db, ids, null);
      throw e;
    }
  }
  return rows.length;
}

/**
 * Stuck-job recovery: a job whose runners all died keeps a lapsed lease. The Postgres queue
 * re-offers it on the next claim, but SQS dead-letters its message after N receives and nobody
 * would look at the row again: past N claims and well past its lease, it is failed here.
 */
export async function deadLetterStuckJobs(
  db: Db,
  clock: Clock,
  jobs: { leaseSeconds: number; maxReceives: number },
  kinds: JobKinds,
) {
  const cutoff = new Date(clock.now().getTime() - 2 * jobs.leaseSeconds * 1000);
  let n = 0;
  for (const id of await stuckJobs(db, cutoff, jobs.maxReceives, 50)) {
    if (await deadLetter(db, clock, id, cutoff, kinds)) n += 1;
  }
  return n;
}
