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

/**
 * Enforcers by what they were built from: the user and every row of their grants, permissions
 * included. Building one (model parse, policies, role links) costs about half a millisecond, paid
 * by every request that checks a permission; the same rows always give the same answers, and a
 * changed binding or role is a different key, so nothing here can outlive a grant.
 */
type Built = { enforcer: Promise<Enforcer>; decisions: Map<string, boolean> };
const BUILT = new Map<string, Built>();
const MAX_BUILT = 500;

/**
 * Casbin's `enforce` evaluates its matcher each time (≈ 0.5 ms here); the enforcer never changes
 * once built, so each (project, permission) answer is kept beside it.
 */
function enforcerFor(userId: string, rows: GrantRow[]): Built {
  const key = JSON.stringify([userId, rows.map((r) => [r.roleName, r.projectId, r.permissions])]);
  let built = BUILT.get(key);
  if (!built) {
    if (BUILT.size >= MAX_BUILT) BUILT.delete(BUILT.keys().next().value as string);
    const enforcer = buildEnforcer(userId, rows);
    built = { enforcer, decisions: new Map() };
    BUILT.set(key, built);
    enforcer.catch(() => BUILT.delete(key));
  }
  return built;
}

function grants(userId: string, rows: GrantRow[]): Grants {
  const domains = [...new Set(rows.map((r) => r.projectId ?? ALL_PROJECTS))];
  let built: Built | undefined;
  const can = async (permission: Permission, projectId: string | null) => {
    built ??= enforcerFor(userId, rows);
    const domain = projectId ?? ALL_PROJECTS;
    const asked = `${domain}\u0000${permission}`;
    const known = built.decisions.get(asked);
    if (known !== undefined) return known;
    const allowed = await (await built.enforcer).enforce(userId, domain, permission);
    built.decisions.set(asked, allowed);
    return allowed;
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
