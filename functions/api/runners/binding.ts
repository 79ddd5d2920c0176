import type { Db } from '../../platform/db/types';
import { invalid } from '../errors';
import { lockPool } from './repo';

/**
 * An environment, host or cluster may name a pool of its own project or a global one; anything
 * else (unknown, or another project's pool) is a 422 on the field, so a project cannot route its
 * jobs, and with them its credentials, to runners it does not own.
 */
export async function assertPoolUsable(tx: Db, poolId: string | null | undefined, projectId: string) {
  if (!poolId) return;
  // Share-locked: a concurrent delete of the pool waits, then sees this binding.
  const pool = await lockPool(tx, poolId, 'share');
  if (!pool || (pool.projectId !== null && pool.projectId !== projectId))
    throw invalid('runner_pool_id', 'no such runner pool in this project');
}
