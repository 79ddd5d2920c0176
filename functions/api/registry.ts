import type { TicketHandlers } from './approvals/service';
import { clusterTestJob } from './clusters/job';
import { revealTicketHandler } from './credentials/reveal';
import { hostTestJob } from './hosts/job';
import { installJob } from './installs/job';
import { installTicketHandler } from './installs/ticket';
import { installVerifyJob } from './installs/verify-job';
import type { JobKinds } from './jobs/kind';
import { releaseJob } from './releases/job';
import { releaseTicketHandler } from './releases/ticket';
import { targetStatusJob } from './status/job';

/**
 * What each job kind and each ticket kind does to its resource, supplied by the domain that owns
 * the resource. Listed here, at the composition root, and handed to routes, services and sweeps
 * through `Deps`: no domain depends on another's handlers, nor on this list.
 */
export const JOB_KINDS: JobKinds = [
  releaseJob,
  hostTestJob,
  clusterTestJob,
  installJob,
  targetStatusJob,
  installVerifyJob,
];

export const TICKET_KINDS: TicketHandlers = {
  release_apply: releaseTicketHandler,
  release_rollback: releaseTicketHandler,
  credential_reveal: revealTicketHandler,
  install: installTicketHandler,
};
