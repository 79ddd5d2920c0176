import type { Db } from '../../platform/db/types';
import { invalid } from '../errors';
import { findPool } from './repo';

/**
 * An environment, host or cluster may name a pool of its own project or a global one; anything
 * else (unknown, or another project's pool) is a 422 on the field, so a project cannot route its
 * jobs, and with them its credentials, to runners it does not own.
 */
export async function assertPoolUsable(tx: Db, poolId: string | null | undefined, projectId: string) {
  if (!poolId) return;
  const pool = await findPool(tx, poolId);
  if (!pool || (pool.projectId !== null && pool.projectId !== projectId))
    throw invalid('runner_pool_id', 'no such runner pool in this project');
}
