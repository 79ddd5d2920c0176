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
 * - `body-resource`: in the project of the resource a body field names (a preview names its
 *   target); an unknown or malformed one is left to the service's 422;
 * - `anywhere`: the caller holds the permissions in some project; the service checks each item
 *   (batch operations over several projects);
 * - `authenticated`: any signed-in user (their own profile).
 */
export type Scope =
  | { kind: 'global' }
  | { kind: 'authenticated' }
  | { kind: 'anywhere' }
  | { kind: 'body'; field: string; absent: 'global' | 'anywhere' }
  | { kind: 'query'; field: string }
  | { kind: 'resource'; projectOf: (c: Context<ApiEnv>, id: string) => Promise<string | null | undefined> }
  | {
      kind: 'body-resource';
      field: string;
      projectOf: (c: Context<ApiEnv>, id: string) => Promise<string | null | undefined>;
    };

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
      case 'anywhere':
        await requireAnywhere(grants, permissions);
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
      case 'body-resource': {
        const value = await readJsonField(c, scope.field);
        const projectId = typeof value === 'string' ? await scope.projectOf(c, value) : undefined;
        if (projectId === undefined) await requireAnywhere(grants, permissions);
        else await requirePermissions(grants, permissions, projectId);
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
