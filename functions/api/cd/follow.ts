import type { Build } from '../../../shared/contracts/ci';
import type { Db } from '../../platform/db/types';
import type { Grants } from '../rbac/enforcer';
import { releaseStates } from './repo';

/**
 * A build's `deployments` as the reader may see them: each outcome is its release's state now,
 * followed to its end (`skipped` / `refused` stay as recorded), and the release part is left out
 * unless the reader may read that release (deploy:release:read + the runtime's read, SPEC §7.0).
 */
export async function followDeployments(db: Db, grants: Grants, builds: Build[]): Promise<Build[]> {
  const ids = builds.flatMap((b) => b.deployments.flatMap((d) => (d.release_id ? [d.release_id] : [])));
  const states = await releaseStates(db, [...new Set(ids)]);
  const out: Build[] = [];
  for (const b of builds) {
    const deployments: Build['deployments'] = [];
    for (const d of b.deployments) {
      const r = d.release_id ? states.get(d.release_id) : undefined;
      if (!r) {
        deployments.push(d);
        continue;
      }
      const readable =
        (await grants.can('deploy:release:read', b.project_id)) &&
        (await grants.can(`deploy:${r.runtime}:read`, b.project_id));
      const followed = d.outcome === 'skipped' || d.outcome === 'refused' ? d.outcome : r.state;
      // Unreadable: the entry stays as the policy recorded it, without the release it names.
      deployments.push(readable ? { ...d, outcome: followed } : { ...d, release_id: null });
    }
    out.push({ ...b, deployments });
  }
  return out;
}
