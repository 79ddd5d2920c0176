import { z } from 'zod';
import { PERMISSIONS } from '../permissions';

export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, '2-63 characters: lowercase letters, digits, ".", "_", "-"');
/** Length is what resists guessing; no composition rules (NIST 800-63B). */
export const Password = z.string().min(12, 'at least 12 characters').max(256, 'at most 256 characters');

export const LoginRequest = z.object({
  username: z.string().min(1).max(63),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  disabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type User = z.infer<typeof User>;

export const CreateUserRequest = z.object({ username: Username, password: Password }).strict();
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const PatchUserRequest = z.object({ disabled: z.boolean() }).strict();
export type PatchUserRequest = z.infer<typeof PatchUserRequest>;

export const ChangePasswordRequest = z
  .object({ current_password: z.string().min(1).max(256), new_password: Password })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const PermissionName = z.enum(PERMISSIONS);

export const RoleName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,62}$/, '2-63 characters: lowercase letters, digits, "_", "-"');

export const Role = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(PermissionName),
  builtin: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Role = z.infer<typeof Role>;

export const CreateRoleRequest = z
  .object({ name: RoleName, permissions: z.array(PermissionName).min(1).max(PERMISSIONS.length) })
  .strict();
export type CreateRoleRequest = z.infer<typeof CreateRoleRequest>;

export const PatchRoleRequest = z
  .object({ permissions: z.array(PermissionName).min(1).max(PERMISSIONS.length) })
  .strict();
export type PatchRoleRequest = z.infer<typeof PatchRoleRequest>;

export const RoleBinding = z.object({
  id: z.string(),
  user_id: z.string(),
  username: z.string(),
  role: z.string(),
  project_id: z.string().nullable(),
  created_at: z.string(),
});
export type RoleBinding = z.infer<typeof RoleBinding>;

export const CreateRoleBindingRequest = z
  .object({ username: Username, role: RoleName, project_id: z.string().min(1).max(64).optional() })
  .strict();
export type CreateRoleBindingRequest = z.infer<typeof CreateRoleBindingRequest>;

export const Me = z.object({
  user: User,
  roles: z.array(z.object({ role: z.string(), project_id: z.string().nullable(), binding_id: z.string() })),
  permissions: z.array(z.object({ project_id: z.string().nullable(), permissions: z.array(PermissionName) })),
});
export type Me = z.infer<typeof Me>;
