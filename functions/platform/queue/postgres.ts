import type { Delivery, JobQueue } from './types';

export type PostgresQueueOptions = {
  /**
   * How often a waiting claimer is told to look at the table although nobody here published:
   * jobs committed by another process (another server, a CLI) reach it this way. Default 1000.
   */
  pollMs?: number;
};

/** The only thing this queue ever says: claim the oldest claimable row of the pool. */
const LOOK_AT_TABLE: Delivery = Object.freeze({ jobId: null, receipt: null, receiveCount: 0 });

/**
 * The queue when the jobs table is the queue. There are no messages: `receive` only wakes a
 * claimer — when a job was published for its pool in this process, or every `pollMs` — and never
 * touches the database itself, because on PGlite a long poll holding the one connection would
 * stall every other request.
 *
 * A claimer looks at the table once before its first `receive`: only what happens after the call
 * started wakes it, and a job published in between is found by the next poll.
 */
export function postgresQueue(opts: PostgresQueueOptions = {}): JobQueue {
  const pollMs = opts.pollMs ?? 1000;
  if (!Number.isFinite(pollMs) || pollMs < 1) throw new Error('pollMs must be a positive number');
  /** Wakers of the receives waiting per pool; each removes itself when it settles. */
  const waiting = new Map<string, Set<(d: Delivery | null) => void>>();
  let closed = false;

  /** Settles the `count` longest-waiting receives of the pool. */
  function settle(poolId: string, d: Delivery | null, count = Number.POSITIVE_INFINITY) {
    // A copy: each waker deletes itself from the set while we walk it.
    const wakers = [...(waiting.get(poolId) ?? [])].slice(0, count);
    for (const wake of wakers) wake(d);
  }

  return {
    kind: 'postgres',
    async createPool() {},
    async publish(poolId, jobIds) {
      // One claimer per job: waking all of them would only send the rest to find the table empty.
      settle(poolId, LOOK_AT_TABLE, jobIds.length);
    },
    receive(poolId, { waitMs, signal }) {
      if (closed || signal?.aborted || !(waitMs > 0)) return Promise.resolve(null);
      return new Promise<Delivery | null>((resolve) => {
        let set = waiting.get(poolId);
        if (!set) {
          set = new Set();
          waiting.set(poolId, set);
        }
        const pool = set;
        // One timer: the poll if it comes first, else the end of the wait.
        const timer = setTimeout(
          () => wake(pollMs < waitMs ? LOOK_AT_TABLE : null),
          Math.min(pollMs, waitMs),
        );
        const onAbort = () => wake(null);
        function wake(d: Delivery | null) {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          pool.delete(wake);
          if (!pool.size && waiting.get(poolId) === pool) waiting.delete(poolId);
          resolve(d);
        }
        pool.add(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async extend() {},
    async ack() {},
    async close() {
      closed = true;
      for (const poolId of [...waiting.keys()]) settle(poolId, null);
    },
  };
}
