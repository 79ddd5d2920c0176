import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Permission } from '../../../shared/permissions';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import type { Grants } from '../rbac/enforcer';

/**
 * Where a route's permissions are checked:
 * - `global`: in the "all projects" domain (users, roles, creating projects);
 * - `body` / `query`: in the project named by that field; for a list without the field, the caller
 *   needs the permission somewhere and the service narrows the result to those projects;
 * - `resource`: in the project of the resource named by `:id` (404 when there is none);
 * - `authenticated`: any signed-in user (their own profile).
 */
export type Scope =
  | { kind: 'global' }
  | { kind: 'authenticated' }
  | { kind: 'body'; field: string; absent: 'global' | 'anywhere' }
  | { kind: 'query'; field: string }
  | { kind: 'resource'; projectOf: (c: Context<ApiEnv>, id: string) => Promise<string | null | undefined> };

export function forbidden(missing: Permission[]) {
  return new ApiError('FORBIDDEN', `missing permission: ${missing.join(', ')}`);
}

/** Throws 403 naming every permission of `required` the caller lacks in that project. */
export async function requirePermissions(
  grants: Grants,
  required: readonly Permission[],
  projectId: string | null,
) {
  const missing: Permission[] = [];
  for (const p of required) if (!(await grants.can(p, projectId))) missing.push(p);
  if (missing.length) throw forbidden(missing);
}

async function requireAnywhere(grants: Grants, required: readonly Permission[]) {
  const missing: Permission[] = [];
  for (const p of required) {
    const where = await grants.projectsWith(p);
    if (where !== 'all' && where.length === 0) missing.push(p);
  }
  if (missing.length) throw forbidden(missing);
}

async function readJsonField(c: Context<ApiEnv>, field: string): Promise<unknown> {
  let body: unknown;
  try {
    // Hono caches the parsed body, so the validator after us reads the same object.
    body = await c.req.json();
  } catch {
    throw new ApiError('BAD_REQUEST', 'the body is not valid JSON');
  }
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
}

export function authorize(permissions: readonly Permission[], scope: Scope) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const grants = c.var.grants;
    switch (scope.kind) {
      case 'authenticated':
        break;
      case 'global':
        await requirePermissions(grants, permissions, null);
        break;
      case 'body': {
        const value = await readJsonField(c, scope.field);
        if (typeof value === 'string') await requirePermissions(grants, permissions, value);
        else if (value === undefined && scope.absent === 'global')
          await requirePermissions(grants, permissions, null);
        // Malformed: refuse callers who hold the permission nowhere; the rest get the 422.
        else await requireAnywhere(grants, permissions);
        break;
      }
      case 'query': {
        const value = c.req.query(scope.field);
        if (value) await requirePermissions(grants, permissions, value);
        else await requireAnywhere(grants, permissions);
        break;
      }
      case 'resource': {
        const projectId = await scope.projectOf(c, c.req.param('id') ?? '');
        if (projectId === undefined) throw new ApiError('NOT_FOUND', 'not found');
        await requirePermissions(grants, permissions, projectId);
        break;
      }
    }
    await next();
  });
}
