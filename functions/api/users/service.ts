import type {
  ChangePasswordRequest,
  CreateUserRequest,
  PatchUserRequest,
  User,
} from '../../../shared/contracts/identity';
import { newId } from '../../platform/ids';
import { insertAudited, recordEvent } from '../audit/writer';
import { hashPassword, verifyPassword } from '../auth/password';
import type { ServiceCtx } from '../context';
import { ApiError, notFound } from '../errors';
import { findUserById, findUserByUsername, insertUser, type UserRow, updateUser } from './repo';

export const toUser = (u: UserRow): User => ({
  id: u.id,
  username: u.username,
  disabled: u.disabled,
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
});

export async function createUser(input: CreateUserRequest, ctx: ServiceCtx): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    if (await findUserByUsername(tx, input.username))
      throw new ApiError('ALREADY_EXISTS', 'username is taken', [
        { path: 'username', message: 'already exists' },
      ]);
    const now = ctx.clock.now();
    const row: UserRow = {
      id: newId('usr'),
      username: input.username,
      passwordHash,
      disabled: false,
      tokenEpoch: 0,
      createdAt: now,
      updatedAt: now,
    };
    await insertAudited(tx, ctx, insertUser, row, {
      action: 'user.created',
      resourceType: 'user',
      detail: { username: row.username },
    });
    return toUser(row);
  });
}

export async function patchUser(id: string, input: PatchUserRequest, ctx: ServiceCtx): Promise<User> {
  if (id === ctx.actor.userId && input.disabled)
    throw new ApiError('CONFLICT', 'you cannot disable your own account');
  return ctx.db.transaction(async (tx) => {
    const user = await findUserById(tx, id);
    if (!user) throw notFound('user');
    const now = ctx.clock.now();
    // Disabling ends every token the user holds, also after a later re-enable.
    await updateUser(tx, id, { disabled: input.disabled }, now, { endTokens: input.disabled });
    await recordEvent(tx, ctx.clock, {
      action: 'user.updated',
      resourceType: 'user',
      resourceId: id,
      actor: ctx.actor,
      detail: { disabled: input.disabled },
    });
    return toUser({ ...user, disabled: input.disabled, updatedAt: now });
  });
}

export async function changeOwnPassword(input: ChangePasswordRequest, ctx: ServiceCtx): Promise<void> {
  const user = await findUserById(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(input.current_password, user.passwordHash)))
    throw new ApiError('VALIDATION_FAILED', 'current password is wrong', [
      { path: 'current_password', message: 'does not match' },
    ]);
  const passwordHash = await hashPassword(input.new_password);
  await ctx.db.transaction(async (tx) => {
    // Ends every earlier token, the one making this request included: whoever knew the old
    // password may hold one.
    await updateUser(tx, user.id, { passwordHash }, ctx.clock.now(), { endTokens: true });
    await recordEvent(tx, ctx.clock, {
      action: 'user.password_changed',
      resourceType: 'user',
      resourceId: user.id,
      actor: ctx.actor,
    });
  });
}
