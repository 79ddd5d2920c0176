import type { JobListItem } from '../../api/types';

export const STATUS_COLOR: Record<JobListItem['status'], string> = {
  queued: 'indigo',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Why a queued job waits, in words; null when it does not wait. */
export function waitingText(
  job: Pick<JobListItem, 'waiting_reason' | 'runner_pool_name' | 'runner_pool_id'>,
) {
  const w = job.waiting_reason;
  if (!w) return null;
  const pool = `pool ‘${job.runner_pool_name ?? job.runner_pool_id}’`;
  switch (w.reason) {
    case 'no_runner_pool':
      return 'Environment has no runner pool';
    case 'no_online_runner':
      return `No runner online in ${pool}`;
    case 'queued':
      return `Waiting: ${ordinal(w.position)} in line in ${pool}`;
  }
}
