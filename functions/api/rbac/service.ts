import type {
  CreateRoleBindingRequest,
  CreateRoleRequest,
  PatchRoleRequest,
  Role,
  RoleBinding,
} from '../../../shared/contracts/identity';
import { BUILTIN_ROLES, type BuiltinRole, type Permission } from '../../../shared/permissions';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { insertAudited, recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, invalid, notFound } from '../errors';
import { findProject } from '../projects/repo';
import { findUserById, findUserByUsername } from '../users/repo';
import {
  type BindingRow,
  deleteBinding,
  findBinding,
  findRole,
  findRoleByName,
  findSameBinding,
  insertBinding,
  insertRole,
  type RoleRow,
  updateRolePermissions,
} from './repo';

export const toRole = (r: RoleRow): Role => ({
  id: r.id,
  name: r.name,
  permissions: r.permissions as Permission[],
  builtin: r.builtin,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

export const toBinding = (b: BindingRow, username: string, role: string): RoleBinding => ({
  id: b.id,
  user_id: b.userId,
  username,
  role,
  project_id: b.projectId,
  created_at: b.createdAt.toISOString(),
});

const dedupe = (perms: Permission[]) => [...new Set(perms)].sort();

/**
 * Creates the built-in roles that do not exist yet. Existing ones are left alone: they are
 * editable, and a restart must not undo an operator's edit.
 */
export async function seedBuiltinRoles(db: Db, clock: Clock): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [name, permissions] of Object.entries(BUILTIN_ROLES) as [
      BuiltinRole,
      readonly Permission[],
    ][]) {
      if (await findRoleByName(tx, name)) continue;
      const now = clock.now();
      const row: RoleRow = {
        id: newId('rol'),
        name,
        permissions: dedupe([...permissions]),
        builtin: true,
        createdAt: now,
        updatedAt: now,
      };
      await insertAudited(tx, { clock, actor: { userId: null, source: 'system' } }, insertRole, row, {
        action: 'role.created',
        resourceType: 'role',
        detail: { name, permissions: row.permissions, builtin: true },
      });
    }
  });
}

export async function createRole(input: CreateRoleRequest, ctx: ServiceCtx): Promise<Role> {
  return ctx.db.transaction(async (tx) => {
    if (await findRoleByName(tx, input.name))
      throw new ApiError('ALREADY_EXISTS', 'role exists', [{ path: 'name', message: 'already exists' }]);
    const now = ctx.clock.now();
    const row: RoleRow = {
      id: newId('rol'),
      name: input.name,
      permissions: dedupe(input.permissions),
      builtin: false,
      createdAt: now,
      updatedAt: now,
    };
    await insertAudited(tx, ctx, insertRole, row, {
      action: 'role.created',
      resourceType: 'role',
      detail: { name: row.name, permissions: row.permissions },
    });
    return toRole(row);
  });
}

export async function patchRole(id: string, input: PatchRoleRequest, ctx: ServiceCtx): Promise<Role> {
  return ctx.db.transaction(async (tx) => {
    const role = await findRole(tx, id);
    if (!role) throw notFound('role');
    const permissions = dedupe(input.permissions);
    // Taking rbac:admin away from admin could leave nobody able to grant it back.
    if (role.name === 'admin' && !permissions.includes('rbac:admin'))
      throw invalid('permissions', 'the admin role must keep rbac:admin');
    const now = ctx.clock.now();
    await updateRolePermissions(tx, id, permissions, now);
    await recordEvent(tx, ctx.clock, {
      action: 'role.updated',
      resourceType: 'role',
      resourceId: id,
      actor: ctx.actor,
      detail: { name: role.name, before: role.permissions, after: permissions },
    });
    return toRole({ ...role, permissions, updatedAt: now });
  });
}

export async function createBinding(input: CreateRoleBindingRequest, ctx: ServiceCtx): Promise<RoleBinding> {
  return ctx.db.transaction(async (tx) => {
    const user = await findUserByUsername(tx, input.username);
    if (!user) throw invalid('username', 'no such user');
    const role = await findRoleByName(tx, input.role);
    if (!role) throw invalid('role', 'no such role');
    const projectId = input.project_id ?? null;
    if (projectId && !(await findProject(tx, projectId))) throw invalid('project_id', 'no such project');
    if (await findSameBinding(tx, user.id, role.id, projectId))
      throw new ApiError('ALREADY_EXISTS', 'the user already has this role there');
    const row: BindingRow = {
      id: newId('rb'),
      userId: user.id,
      roleId: role.id,
      projectId,
      createdAt: ctx.clock.now(),
    };
    await insertAudited(tx, ctx, insertBinding, row, {
      action: 'role_binding.created',
      resourceType: 'role_binding',
      detail: { user_id: user.id, username: user.username, role: role.name },
    });
    return toBinding(row, user.username, role.name);
  });
}

export async function removeBinding(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const b = await findBinding(tx, id);
    if (!b) throw notFound('role binding');
    const [user, role] = [await findUserById(tx, b.userId), await findRole(tx, b.roleId)];
    await deleteBinding(tx, id);
    await recordEvent(tx, ctx.clock, {
      action: 'role_binding.deleted',
      resourceType: 'role_binding',
      resourceId: id,
      projectId: b.projectId,
      actor: ctx.actor,
      detail: { user_id: b.userId, username: user?.username, role: role?.name },
    });
  });
}
