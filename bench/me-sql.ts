import { eq, type Placeholder, sql } from 'drizzle-orm';
import { roleBindings, roles, users } from '../functions/platform/db/schema';
import type { Db } from '../functions/platform/db/types';

/**
 * The one statement GET /me sends (the caller's row left-joined to their bindings and roles), built
 * the way functions/api/rbac/repo.ts `loadCaller` builds it, as drizzle prints it. The bench checks
 * that its answer and the app's are the same, so a drift here fails the run rather than the numbers.
 */
export function callerSql(db: Db, userId: string) {
  return callerQuery(db, userId).toSQL();
}

/** What the app could do instead: the same statement prepared once, executed with the id. */
export function preparedCaller(db: Db) {
  const q = callerQuery(db, sql.placeholder('id')).prepare('bench_caller');
  return (userId: string) => q.execute({ id: userId });
}

function callerQuery(db: Db, userId: string | Placeholder) {
  return db
    .select({
      user: users,
      bindingId: roleBindings.id,
      projectId: roleBindings.projectId,
      roleName: roles.name,
      permissions: roles.permissions,
    })
    .from(users)
    .leftJoin(roleBindings, eq(roleBindings.userId, users.id))
    .leftJoin(roles, eq(roles.id, roleBindings.roleId))
    .where(eq(users.id, userId));
}
