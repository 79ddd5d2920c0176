import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/permissions';
import { preparedPerDb } from '../../platform/db/prepared';
import { roleBindings, roles, users } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type RoleRow = typeof roles.$inferSelect;
export type BindingRow = typeof roleBindings.$inferSelect;

/** One query: the user's bindings with the permissions of each bound role. */
export async function loadGrantRows(db: Db, userId: string) {
  const rows = await db
    .select({
      bindingId: roleBindings.id,
      projectId: roleBindings.projectId,
      roleName: roles.name,
      permissions: roles.permissions,
    })
    .from(roleBindings)
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .where(eq(roleBindings.userId, userId));
  return rows.map((r) => ({ ...r, permissions: r.permissions as Permission[] }));
}

/**
 * The caller and their grants in one round trip: every authenticated request starts here, so the
 * user row and the bindings come back together (a user without bindings gives one row of nulls).
 */
const callerQuery = preparedPerDb((db) =>
  db
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
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('load_caller'),
);

export async function loadCaller(db: Db, userId: string) {
  const rows = await callerQuery(db).execute({ userId });
  const first = rows[0];
  if (!first) return undefined;
  const grants = rows.flatMap((r) =>
    r.bindingId && r.roleName && r.permissions
      ? [
          {
            bindingId: r.bindingId,
            projectId: r.projectId,
            roleName: r.roleName,
            permissions: r.permissions as Permission[],
          },
        ]
      : [],
  );
  return { user: first.user, grants };
}

export async function findRoleByName(db: Db, name: string): Promise<RoleRow | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.name, name));
  return row;
}

export async function findRole(db: Db, id: string): Promise<RoleRow | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.id, id));
  return row;
}

export async function listRoles(db: Db, opts: { after?: string; limit: number }): Promise<RoleRow[]> {
  return db
    .select()
    .from(roles)
    .where(opts.after ? gt(roles.id, opts.after) : undefined)
    .orderBy(asc(roles.id))
    .limit(opts.limit);
}

export async function insertRole(db: Db, row: RoleRow): Promise<void> {
  await db.insert(roles).values(row);
}

export async function updateRolePermissions(db: Db, id: string, permissions: string[], now: Date) {
  await db.update(roles).set({ permissions, updatedAt: now }).where(eq(roles.id, id));
}

export async function findBinding(db: Db, id: string): Promise<BindingRow | undefined> {
  const [row] = await db.select().from(roleBindings).where(eq(roleBindings.id, id));
  return row;
}

export async function findSameBinding(db: Db, userId: string, roleId: string, projectId: string | null) {
  const [row] = await db
    .select()
    .from(roleBindings)
    .where(
      and(
        eq(roleBindings.userId, userId),
        eq(roleBindings.roleId, roleId),
        projectId === null ? isNull(roleBindings.projectId) : eq(roleBindings.projectId, projectId),
      ),
    );
  return row;
}

export async function insertBinding(db: Db, row: BindingRow): Promise<void> {
  await db.insert(roleBindings).values(row);
}

export async function deleteBinding(db: Db, id: string): Promise<void> {
  await db.delete(roleBindings).where(eq(roleBindings.id, id));
}

export async function listBindings(db: Db, w: VisibleWindow & { userId?: string }) {
  const conds = [visiblePage(roleBindings, w), w.userId ? eq(roleBindings.userId, w.userId) : undefined];
  return db
    .select({ binding: roleBindings, username: users.username, role: roles.name })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .where(and(...conds))
    .orderBy(asc(roleBindings.id))
    .limit(w.limit);
}

/** One binding with the names a response shows. */
export async function findBindingView(db: Db, id: string) {
  const [row] = await db
    .select({ binding: roleBindings, username: users.username, role: roles.name })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .where(eq(roleBindings.id, id));
  return row;
}
