import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Permission } from '../../shared/permissions';
import { authenticate } from './middleware/authenticate';
import { authorize, type Scope } from './middleware/authorize';
import { requestGuard } from './middleware/request-guard';
import { errorResponses } from './openapi';
import { authenticateRunner } from './runners/authenticate';

export const BEARER = 'bearerAuth';

type Base = Omit<RouteConfig, 'middleware' | 'security' | 'operationId'> & {
  operationId: string;
  summary: string;
};
type Created<C> = C & { getRoutingPath(): string };

const hasJsonBody = (config: Base) => Boolean(config.request?.body?.content?.['application/json']);

/** The string and media-type rules every route enforces before it looks anything up. */
const guardFor = (config: Base) => requestGuard({ jsonBody: hasJsonBody(config) });

/** A route with a JSON body documents the 415 its guard gives. */
const withGuardResponses = <C extends Base>(config: C): C =>
  hasJsonBody(config) ? { ...config, responses: { ...errorResponses(415), ...config.responses } } : config;

/**
 * Every authenticated route is declared here: its permissions and where they apply are part of the
 * definition (and of the OpenAPI document as `x-permissions`), so no handler can forget the check.
 */
export function secured<const C extends Base>(
  config: C & { permissions: readonly Permission[]; scope: Scope },
): Created<Omit<C, 'permissions' | 'scope'>> {
  const { permissions, scope, ...rest } = config;
  return createRoute({
    ...withGuardResponses(rest),
    security: [{ [BEARER]: [] }],
    'x-permissions': [...permissions],
    middleware: [authenticate, guardFor(config), authorize(permissions, scope)],
  } as unknown as RouteConfig) as unknown as Created<Omit<C, 'permissions' | 'scope'>>;
}

export const RUNNER_AUTH = 'runnerToken';

/** Runner routes: a runner token, not a user's, and no user permissions (the pool is the scope). */
export function runnerRoute<const C extends Base>(config: C): Created<C> {
  return createRoute({
    ...withGuardResponses(config),
    security: [{ [RUNNER_AUTH]: [] }],
    middleware: [authenticateRunner, guardFor(config)],
  } as unknown as RouteConfig) as unknown as Created<C>;
}

/** Routes anyone may call (login, health). */
export function open<const C extends Base>(config: C): Created<C> {
  return createRoute({
    ...withGuardResponses(config),
    security: [],
    middleware: [guardFor(config)],
  } as unknown as RouteConfig) as unknown as Created<C>;
}
