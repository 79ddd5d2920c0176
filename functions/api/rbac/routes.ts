import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CreateRoleBindingRequest,
  CreateRoleRequest,
  PatchRoleRequest,
  Role,
  RoleBinding,
} from '../../../shared/contracts/identity';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { byId, listPage, listVisible } from '../pagination';
import { secured } from '../route';
import { findBinding, findBindingView, findRole, listBindings, listRoles } from './repo';
import { createBinding, createRole, patchRole, removeBinding, toBinding, toRole } from './service';

const tags = ['identity'];

/** A binding's permissions apply in its project, or everywhere for a binding of all projects. */
const bindingScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findBinding(c.var.deps.database.db, id))?.projectId,
};

export const rbacRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/roles',
      operationId: 'createRole',
      summary: 'Create a role from permissions',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'global' },
      request: { body: jsonBody(CreateRoleRequest) },
      responses: { 201: jsonResponse(Role, 'The role'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createRole(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/roles',
      operationId: 'listRoles',
      summary: 'List roles',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'global' },
      request: { query: ListQuery },
      responses: { 200: jsonResponse(listOf(Role), 'Roles'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(await listPage(q, { read: (w) => listRoles(db, w), view: toRole }), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/roles/{id}',
      operationId: 'getRole',
      summary: 'Get a role',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'global' },
      request: { params: IdParam },
      responses: { 200: jsonResponse(Role, 'The role'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const role = await findRole(c.var.deps.database.db, c.req.valid('param').id);
      if (!role) throw notFound('role');
      return c.json(toRole(role), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/roles/{id}',
      operationId: 'patchRole',
      summary: 'Replace the permissions of a role (built-in roles too)',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'global' },
      request: { params: IdParam, body: jsonBody(PatchRoleRequest) },
      responses: { 200: jsonResponse(Role, 'The role'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => c.json(await patchRole(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/role-bindings',
      operationId: 'createRoleBinding',
      summary: 'Give a user a role in one project, or in all of them (no project_id)',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'body', field: 'project_id', absent: 'global' },
      request: { body: jsonBody(CreateRoleBindingRequest) },
      responses: { 201: jsonResponse(RoleBinding, 'The binding'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createBinding(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/role-bindings',
      operationId: 'listRoleBindings',
      summary: 'List role bindings',
      tags,
      permissions: ['rbac:admin'],
      scope: { kind: 'query', field: 'project_id' },
      request: {
        query: ListQuery.extend({
          project_id: z.string().max(64).optional(),
          user_id: z.string().max(64).optional(),
        }),
      },
      responses: { 200: jsonResponse(listOf(RoleBinding), 'Bindings'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'rbac:admin', q, {
          read: (w) => listBindings(db, { ...w, userId: q.user_id, projectId: q.project_id }),
          view: (r) => toBinding(r.binding, r.username, r.role),
          keyset: { ...byId, keyOf: (r) => byId.keyOf(r.binding) },
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/role-bindings/{id}',
      operationId: 'getRoleBinding',
      summary: 'Get a role binding',
      tags,
      permissions: ['rbac:admin'],
      scope: bindingScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(RoleBinding, 'The binding'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const row = await findBindingView(c.var.deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('role binding');
      return c.json(toBinding(row.binding, row.username, row.role), 200);
    },
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/role-bindings/{id}',
      operationId: 'deleteRoleBinding',
      summary: 'Remove a role binding',
      tags,
      permissions: ['rbac:admin'],
      scope: bindingScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      await removeBinding(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
