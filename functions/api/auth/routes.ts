import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { LoginRequest, LoginResponse } from '../../../shared/contracts/identity';
import type { ApiEnv } from '../env';
import { validationHook } from '../middleware/errors';
import { errorResponses, jsonBody, jsonResponse } from '../openapi';
import { open } from '../route';
import { login } from './service';

/**
 * The client address for throttling. Behind API Gateway the Lambda adapter gives the source IP
 * in the event; on the local server it is the socket's peer. X-Forwarded-For is never trusted: a
 * guesser would set it to anything.
 */
function clientAddress(c: Context<ApiEnv>): string {
  const lambdaIp = (c.env as { event?: { requestContext?: { http?: { sourceIp?: string } } } } | undefined)
    ?.event?.requestContext?.http?.sourceIp;
  if (lambdaIp) return lambdaIp;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const authRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook }).openapi(
  open({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Exchange a username and password for a short-lived access token',
    tags: ['identity'],
    request: { body: jsonBody(LoginRequest) },
    responses: { 200: jsonResponse(LoginResponse, 'A bearer token'), ...errorResponses(400, 401, 422, 429) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const source = c.req.header('x-k8sm-source') === 'ui' ? 'ui' : 'api';
    return c.json(await login({ ...body, address: clientAddress(c), source }, c.var.deps), 200);
  },
);
