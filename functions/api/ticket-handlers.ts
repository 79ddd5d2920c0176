import type { TicketHandlers } from './approvals/service';
import { revealTicketHandler } from './credentials/reveal';
import { installTicketHandler } from './installs/handlers';
import { releaseTicketHandler } from './releases/apply';

/**
 * What each ticket kind does when decided or expired, supplied by the domain that owns the
 * resource. Composed here so approvals depend on no domain and no domain on approvals' routes.
 */
export const TICKET_HANDLERS: TicketHandlers = {
  release_apply: releaseTicketHandler,
  release_rollback: releaseTicketHandler,
  credential_reveal: revealTicketHandler,
  install: installTicketHandler,
};
