/**
 * The job queue port. Job rows are the truth; the queue only says "look at this job" (SQS) or
 * "look at the table" (Postgres). Messages carry job ids, never secrets. Semantics shared by both
 * adapters: at-least-once delivery, visibility timeout as the lease (extended by heartbeats),
 * acknowledged on completion, dead-lettered after N receives.
 */
export type Delivery = {
  /** The job the message names; null from the Postgres queue: claim the oldest claimable row. */
  jobId: string | null;
  /** Hands the message back to `extend`/`ack`; null where there is no message (Postgres). */
  receipt: string | null;
  /** How often this message was received (1 on first delivery); 0 where unknown. */
  receiveCount: number;
};

export interface JobQueue {
  readonly kind: 'postgres' | 'sqs';
  /** A runner pool was created: SQS creates its queue, redriving to the dead-letter queue. */
  createPool(poolId: string): Promise<void>;
  /** Jobs were committed for the pool: SQS sends one message per id; Postgres wakes one waiting claimer per id. */
  publish(poolId: string, jobIds: string[]): Promise<void>;
  /**
   * Waits up to `waitMs` for work. `visibilitySeconds` is the lease a received message starts
   * with. Returns null when the wait ran out (or `signal` aborted) with nothing to do.
   * Postgres wakes only on what happens after the call started (a publish here, or its poll), so a
   * claimer looks at the table before its first receive. SQS long-polls whole seconds, so it may
   * return up to a second after `waitMs`; a receive aborted mid-poll may leave a message invisible
   * until its visibility timeout (SQS may have handed it to the dropped connection).
   */
  receive(
    poolId: string,
    opts: { waitMs: number; visibilitySeconds: number; signal?: AbortSignal },
  ): Promise<Delivery | null>;
  /** A heartbeat: the message stays invisible `seconds` longer from now. */
  extend(poolId: string, receipt: string, seconds: number): Promise<void>;
  /** The job finished, or the message named a job nobody may claim any more. */
  ack(poolId: string, receipt: string): Promise<void>;
  close(): Promise<void>;
}
