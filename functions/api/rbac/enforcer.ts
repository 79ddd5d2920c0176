import { type Enforcer, newEnforcer, newModelFromString } from 'casbin';
import { ALL_PROJECTS, type Permission } from '../../../shared/permissions';
import type { Db } from '../../platform/db/types';
import { loadGrantRows } from './repo';

/**
 * RBAC with projects as domains. A role is a set of permissions; a binding puts a role on a user in
 * one project or in every project (domain "*").
 */
const MODEL = `
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "${ALL_PROJECTS}")) && r.act == p.act
`;

/** What one user may do, loaded for one request. */
export type Grants = {
  can(permission: Permission, projectId: string | null): Promise<boolean>;
  /** Projects where the user holds the permission: "all", or a list (possibly empty). */
  projectsWith(permission: Permission): Promise<'all' | string[]>;
  /** Every (domain, permission) pair, for GET /me. */
  effective(): Promise<{ project_id: string | null; permissions: Permission[] }[]>;
  roles: { role: string; project_id: string | null; binding_id: string }[];
};

/**
 * Loads only the policy of one user (their bindings and the permissions of those roles), so a
 * request enforces against a handful of rules, however many users and projects exist.
 */
export class Authorizer {
  async forUser(db: Db, userId: string): Promise<Grants> {
    return grants(userId, await loadGrantRows(db, userId));
  }

  /** From rows already loaded (authenticate loads them with the user, in one query). */
  fromRows(userId: string, rows: GrantRow[]): Grants {
    return grants(userId, rows);
  }
}

/** Built on the first permission check only: routes such as GET /me never pay for it. */
async function buildEnforcer(userId: string, rows: GrantRow[]): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(MODEL));
  const model = enforcer.getModel();
  const seenRole = new Set<string>();
  for (const r of rows) {
    model.addPolicy('g', 'g', [userId, r.roleName, r.projectId ?? ALL_PROJECTS]);
    if (seenRole.has(r.roleName)) continue;
    seenRole.add(r.roleName);
    for (const p of r.permissions) model.addPolicy('p', 'p', [r.roleName, p]);
  }
  await enforcer.buildRoleLinks();
  return enforcer;
}

type GrantRow = Awaited<ReturnType<typeof loadGrantRows>>[number];

function grants(userId: string, rows: GrantRow[]): Grants {
  const domains = [...new Set(rows.map((r) => r.projectId ?? ALL_PROJECTS))];
  let enforcer: Promise<Enforcer> | undefined;
  const can = async (permission: Permission, projectId: string | null) => {
    enforcer ??= buildEnforcer(userId, rows);
    return (await enforcer).enforce(userId, projectId ?? ALL_PROJECTS, permission);
  };
  return {
    roles: rows.map((r) => ({ role: r.roleName, project_id: r.projectId, binding_id: r.bindingId })),
    can,
    async projectsWith(permission) {
      if (await can(permission, null)) return 'all';
      const out: string[] = [];
      for (const d of domains) if (d !== ALL_PROJECTS && (await can(permission, d))) out.push(d);
      return out;
    },
    async effective() {
      const out: { project_id: string | null; permissions: Permission[] }[] = [];
      for (const d of domains) {
        const perms = new Set<Permission>();
        for (const r of rows)
          if ((r.projectId ?? ALL_PROJECTS) === d) for (const p of r.permissions) perms.add(p);
        out.push({ project_id: d === ALL_PROJECTS ? null : d, permissions: [...perms].sort() });
      }
      return out;
    },
  };
}
