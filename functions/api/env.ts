import type { AuditSource } from '../../shared/events';
import type { Deps } from './deps';
import type { Grants } from './rbac/enforcer';
import type { RunnerRow } from './runners/repo';
import type { UserRow } from './users/repo';

export type Actor = {
  userId: string;
  username: string;
  source: AuditSource;
  /** Automatic actions only: on whose behalf, and what started them (see audit/writer). */
  cause?: Record<string, string>;
};

export type ApiEnv = {
  Variables: {
    requestId: string;
    deps: Deps;
    actor: Actor;
    grants: Grants;
    /** The caller's row, loaded once by authenticate. */
    user: UserRow;
    /** The row a `resource` scope loaded to find its project, for the handler to reuse. */
    scoped?: unknown;
    /** The calling runner, on runner routes (runner-token auth). */
    runner: RunnerRow;
  };
};
