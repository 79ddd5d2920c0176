import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { JobQueue } from '../../platform/queue/types';
import { markDispatched, stuckJobs, undispatchedJobs } from '../jobs/repo';
import { deadLetter, type JobHandlers } from '../jobs/service';

/**
 * The outbox: sends the queue message of every committed job that has a pool and has not been
 * sent yet, then marks it. Run after each mutating request and by the sweep, so a crash between
 * commit and send only delays a job. Sending twice is harmless: a claim takes a job once.
 */
export async function dispatchQueued(db: Db, queue: JobQueue, clock: Clock, limit = 100) {
  const rows = await undispatchedJobs(db, limit);
  const byPool = new Map<string, string[]>();
  for (const r of rows)
    if (r.runnerPoolId) byPool.set(r.runnerPoolId, [...(byPool.get(r.runnerPoolId) ?? []), r.id]);
  for (const [pool, ids] of byPool) {
    await queue.publish(pool, ids).catch(async () => {
      // A pool made before this queue existed (say, before SQS was configured) has no queue yet.
      await queue.createPool(pool);
      await queue.publish(pool, ids);
    });
    await markDispatched(db, ids, clock.now());
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
  handlers: JobHandlers,
) {
  const cutoff = new Date(clock.now().getTime() - 2 * jobs.leaseSeconds * 1000);
  let n = 0;
  for (const id of await stuckJobs(db, cutoff, jobs.maxReceives, 50)) {
    if (await deadLetter(db, clock, id, cutoff, handlers)) n += 1;
  }
  return n;
}
