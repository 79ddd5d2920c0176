import type { JobHandlers } from './jobs/service';
import { releaseJobHandler } from './releases/apply';

/** What each job kind does to its resource when claimed and completed, by owning domain. */
export const JOB_HANDLERS: JobHandlers = {
  release_apply: releaseJobHandler,
};
