import type { InstallTask } from '../../../api/types';

type Status = InstallTask['status'];
type StepStatus = InstallTask['steps'][number]['steps'][number]['status'];

/** Statuses a task leaves by itself: pages showing one keep asking until it reaches another. */
export const MOVING = new Set<Status>(['pending_approval', 'queued', 'running']);

export const STATUS_COLOR: Record<Status, string> = {
  pending_approval: 'yellow',
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  rejected: 'red',
  expired: 'gray',
  rolled_back: 'grape',
  cancelled: 'gray',
};

export const STEP_COLOR: Record<StepStatus, string> = {
  pending: 'gray',
  running: 'blue',
  succeeded: 'teal',
  skipped: 'gray',
  failed: 'red',
};
