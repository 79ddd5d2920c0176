import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/types';
import type { Actor, ApiEnv } from './env';

/** What a service needs from a request: the database, the clock and who is acting. */
export type ServiceCtx = { db: Db; clock: Clock; actor: Actor };

export const serviceCtx = (c: { var: ApiEnv['Variables'] }): ServiceCtx => ({
  db: c.var.deps.database.db,
  clock: c.var.deps.clock,
  actor: c.var.actor,
});
