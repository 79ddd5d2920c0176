import { OpenAPIHono } from '@hono/zod-openapi';
import { KeyRotation } from '../../../shared/contracts/credentials';
import type { ApiEnv } from '../env';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, jsonResponse } from '../openapi';
import { secured } from '../route';
import { rotateKeys } from './service';

export const keysRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook }).openapi(
  secured({
    method: 'post',
    path: '/keys/rotate',
    operationId: 'rotateKeys',
    summary:
      'Rotate the key every data key is wrapped with (a new local master key, or the configured KMS key) and re-wrap every stored data key',
    tags: ['keys'],
    permissions: ['rbac:admin'],
    scope: { kind: 'global' },
    responses: { 200: jsonResponse(KeyRotation, 'What was re-wrapped'), ...errorResponses(...authErrors) },
  }),
  async (c) => c.json(await rotateKeys(c.var.deps, c.var.actor), 200),
);
