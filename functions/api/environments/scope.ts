import type { Scope } from '../middleware/authorize';
import { findEnvironment } from './repo';

/** Permissions on `/environments/:id` (and what hangs below it) apply in that environment's project. */
export const environmentScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findEnvironment(c.var.deps.database.db, id))?.projectId,
};
