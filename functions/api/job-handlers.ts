import { installJobHandler } from './installs/handlers';
import type { JobHandlers } from './jobs/service';
import { releaseJobHandler } from './releases/apply';
import { CONNECTION_TEST_HANDLERS } from './runners/test-handlers';

/** What each job kind does to its resource when claimed and completed, by owning domain. */
export const JOB_HANDLERS: JobHandlers = {
  environment_install: installJobHandler,
  release_apply: releaseJobHandler,
  ...CONNECTION_TEST_HANDLERS,
};
