import type { Permission } from '../../../shared/permissions';
import type { VisibleProjects } from '../../platform/db/visible';
import type { Grants } from './enforcer';

/**
 * The projects where the caller holds every one of the permissions: the intersection of where
 * each is held, so holding one permission here and another there shows nothing of either.
 */
export async function projectsWithAll(
  grants: Pick<Grants, 'projectsWith'>,
  ...permissions: [Permission, ...Permission[]]
): Promise<VisibleProjects> {
  let out: VisibleProjects = 'all';
  for (const permission of permissions) {
    const here = await grants.projectsWith(permission);
    if (here === 'all') continue;
    out = out === 'all' ? here : out.filter((p) => here.includes(p));
  }
  return out;
}
