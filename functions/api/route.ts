import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Permission } from '../../shared/permissions';
import { authenticate } from './middleware/authenticate';
import { authorize, type Scope } from './middleware/authorize';
import { authenticateRunner } from './runners/authenticate';

export const BEARER = 'bearerAuth';

type Base = Omit<RouteConfig, 'middleware' | 'security' | 'operationId'> & {
  operationId: string;
  summary: string;
};
type Created<C> = C & { getRoutingPath(): string };

/**
 * Every authenticated route is declared here: its permissions and where they apply are part of the
 * definition (and of the OpenAPI document as `x-permissions`), so no handler can forget the check.
 */
export function secured<const C extends Base>(
  config: C & { permissions: readonly Permission[]; scope: Scope },
): Created<Omit<C, 'permissions' | 'scope'>> {
  const { permissions, scope, ...rest } = config;
  return createRoute({
    ...rest,
    security: [{ [BEARER]: [] }],
    'x-permissions': [...permissions],
    middleware: [authenticate, authorize(permissions, scope)],
  } as unknown as RouteConfig) as unknown as Created<Omit<C, 'permissions' | 'scope'>>;
}

export const RUNNER_AUTH = 'runnerToken';

/** Runner routes: a runner token, not a user's, and no user permissions (the pool is the scope). */
export function runnerRoute<const C extends Base>(config: C): Created<C> {
  return createRoute({
    ...config,
    security: [{ [RUNNER_AUTH]: [] }],
    middleware: [authenticateRunner],
  } as unknown as RouteConfig) as unknown as Created<C>;
}

/** Routes anyone may call (login, health). */
export function open<const C extends Base>(config: C): Created<C> {
  return createRoute({ ...config, security: [] } as unknown as RouteConfig) as unknown as Created<C>;
}
