import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { LoginRequest, LoginResponse } from '../../../shared/contracts/identity';
import type { ApiEnv } from '../env';
import { validationHook } from '../middleware/errors';
import { errorResponses, jsonBody, jsonResponse } from '../openapi';
import { open } from '../route';
import { clientAddress, originSecret } from './client-address';
import { login } from './service';

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
    return c.json(await login({ ...body, address: await requestAddress(c), source }, c.var.deps), 200);
  },
);
