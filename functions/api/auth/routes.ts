import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { LoginRequest, LoginResponse } from '../../../shared/contracts/identity';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import { validationHook } from '../middleware/errors';
import { JSON_TYPE } from '../middleware/request-guard';
import { errorResponses, jsonBody, jsonResponse } from '../openapi';
import { open } from '../route';
import { clientAddress, originSecret } from './client-address';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './cookie';
import { login } from './service';
import { endSession, refreshSession } from './sessions';

/** Where the request says it came from; clientAddress decides what to believe. */
async function requestAddress(c: Context<ApiEnv>): Promise<string> {
  const gatewaySourceIp = (
    c.env as { event?: { requestContext?: { http?: { sourceIp?: string } } } } | undefined
  )?.event?.requestContext?.http?.sourceIp;
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined;
  }
  const { config } = c.var.deps;
  return clientAddress(
    { socket, gatewaySourceIp, header: (name) => c.req.header(name) },
    {
      trustedProxies: config.trustedProxies,
      originSecret: gatewaySourceIp ? await originSecret(config) : undefined,
    },
  );
}

const sourceOf = (c: Context<ApiEnv>) => (c.req.header('x-k8sm-source') === 'ui' ? 'ui' : 'api');

/**
 * The cookie routes act on what the browser sends by itself, so they take only what a plain
 * cross-site form or `no-cors` fetch cannot send: `Content-Type: application/json` (anything
 * else from another origin needs a CORS preflight this API never grants). SameSite=Strict is
 * the first guard; this one holds for a browser that ignores it. See docs/architecture.md.
 */
function requireJsonType(c: Context<ApiEnv>) {
  const type = c.req.header('content-type');
  if (!type || !JSON_TYPE.test(type))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send Content-Type: application/json');
}

export const authRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    open({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary: 'Exchange a username and password for a short-lived access token',
      tags: ['identity'],
      description:
        'Also sets the session cookie (`k8sm_refresh`: httpOnly, SameSite=Strict, Path=/api/v1/auth, Secure except on loopback http) that `POST /auth/refresh` trades for the next access token.',
      request: { body: jsonBody(LoginRequest) },
      responses: {
        200: jsonResponse(LoginResponse, 'A bearer token'),
        ...errorResponses(400, 401, 422, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const deps = c.var.deps;
      const out = await login({ ...body, address: await requestAddress(c), source: sourceOf(c) }, deps);
      setRefreshCookie(c, out.refresh, deps.clock.now());
      c.header('Cache-Control', 'no-store');
      return c.json(out.grant, 200);
    },
  )
  .openapi(
    open({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refreshSession',
      summary: 'Trade the session cookie for a new access token and a new cookie',
      description:
        'The cookie is used once: the answer sets its successor. A cookie used a second time ends the whole session (someone else holds a copy), and so do logout, a password change and a disable. Requires `Content-Type: application/json`; no body is read.',
      tags: ['identity'],
      responses: {
        200: jsonResponse(LoginResponse, 'A bearer token; the next refresh token is only in the cookie'),
        ...errorResponses(401, 415),
      },
    }),
    async (c) => {
      requireJsonType(c);
      const deps = c.var.deps;
      c.header('Cache-Control', 'no-store');
      try {
        const out = await refreshSession(readRefreshCookie(c), sourceOf(c), deps);
        setRefreshCookie(c, out.refresh, deps.clock.now());
        return c.json(out.grant, 200);
      } catch (e) {
        // A refused cookie is dead for good: the browser need not send it again.
        if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') clearRefreshCookie(c);
        throw e;
      }
    },
  )
  .openapi(
    open({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: 'End the session of the cookie and clear it',
      description:
        'Revokes every refresh token of the session; access tokens already issued run out on their own (minutes). Requires `Content-Type: application/json`; no body is read.',
      tags: ['identity'],
      responses: {
        204: { description: 'Signed out (also when there was no session)' },
        ...errorResponses(415),
      },
    }),
    async (c) => {
      requireJsonType(c);
      await endSession(readRefreshCookie(c), sourceOf(c), c.var.deps);
      clearRefreshCookie(c);
      return c.body(null, 204);
    },
  );
