/**
 * A job row's status. A job whose lease ran out stays `running` until a claim takes it again:
 * the lease, not the status, says whether a runner still holds it.
 */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
