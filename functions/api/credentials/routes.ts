import { OpenAPIHono } from '@hono/zod-openapi';
import {
  CreateCredentialRequest,
  Credential,
  ListCredentialsQuery,
  RevealedCredential,
  RevealPending,
  RevealRequest,
  RotateCredentialRequest,
} from '../../../shared/contracts/credentials';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { credentialCtx } from './context';
import { findCredential, listCredentials } from './repo';
import { collectReveal, requestReveal } from './reveal';
import { createCredential, deleteCredential, rotateCredential, toCredential } from './service';

const tags = ['credentials'];

/** Permissions on `/credentials/:id` apply in that credential's project; a deleted one is a 404. */
export const credentialScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findCredential(c.var.deps.database.db, id))?.projectId,
};

export const credentialsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/credentials',
      operationId: 'createCredential',
      summary: 'Store a credential, envelope-encrypted; the answer describes it and never holds it',
      tags,
      permissions: ['credential:import'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateCredentialRequest) },
      responses: {
        201: jsonResponse(Credential, 'The credential, masked'),
        ...errorResponses(...authErrors, 409, 413),
      },
    }),
    async (c) => c.json(await createCredential(c.req.valid('json'), credentialCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/credentials',
      operationId: 'listCredentials',
      summary: 'List credentials (masked)',
      tags,
      permissions: ['credential:read_meta'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListCredentialsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Credential), 'Credentials'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'credential:read_meta', q, {
          read: (w) => listCredentials(db, { ...w, projectId: q.project_id, kind: q.kind }),
          view: toCredential,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/credentials/{id}',
      operationId: 'getCredential',
      summary: 'Get a credential (masked)',
      tags,
      permissions: ['credential:read_meta'],
      scope: credentialScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Credential, 'The credential, masked'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const row = await findCredential(c.var.deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('credential');
      return c.json(toCredential(row), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/credentials/{id}/rotate',
      operationId: 'rotateCredential',
      summary: 'Replace the material of a credential with new material of the same kind',
      tags,
      permissions: ['credential:import'],
      scope: credentialScope,
      request: { params: IdParam, body: jsonBody(RotateCredentialRequest) },
      responses: {
        200: jsonResponse(Credential, 'The credential, masked'),
        ...errorResponses(...authErrors, 404, 413),
      },
    }),
    async (c) =>
      c.json(await rotateCredential(c.req.valid('param').id, c.req.valid('json'), credentialCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/credentials/{id}',
      operationId: 'deleteCredential',
      summary: 'Delete a credential no host or cluster uses; its sealed material is destroyed',
      tags,
      permissions: ['credential:import'],
      scope: credentialScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteCredential(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/credentials/{id}/reveal',
      operationId: 'revealCredential',
      summary:
        'Reveal a credential: `{}` asks for a ticket (202); `{approval_ticket}` collects the payload once, after someone else approved (200)',
      tags,
      permissions: ['credential:reveal'],
      scope: credentialScope,
      request: { params: IdParam, body: jsonBody(RevealRequest) },
      responses: {
        200: jsonResponse(RevealedCredential, 'The payload: the only response that ever holds a secret'),
        202: jsonResponse(RevealPending, 'A ticket was opened; collect the payload once it is approved'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const { approval_ticket } = c.req.valid('json');
      if (approval_ticket === undefined) return c.json(await requestReveal(id, credentialCtx(c)), 202);
      // Never cached anywhere on the way back.
      c.header('Cache-Control', 'no-store');
      return c.json(await collectReveal(id, approval_ticket, credentialCtx(c)), 200);
    },
  );
