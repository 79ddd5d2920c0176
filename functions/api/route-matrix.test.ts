import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, type BuiltinRole, type Permission } from '../../shared/permissions';
import { backends } from '../../test/support/databases';
import { createTestPlatform, type Req, type TestPlatform } from '../../test/support/platform';
import { createBinding } from './rbac/service';
import { createUser } from './users/service';

/**
 * What every route needs, written out independently of the route definitions (SPEC §4). A route
 * whose declaration drifts from this table, or a route missing from it, fails here.
 */
const EXPECTED: Record<string, Permission[]> = {
  createUser: ['rbac:admin'],
  listUsers: ['rbac:admin'],
  getUser: ['rbac:admin'],
  patchUser: ['rbac:admin'],
  getMe: [],
  changeMyPassword: [],
  createRole: ['rbac:admin'],
  listRoles: ['rbac:admin'],
  getRole: ['rbac:admin'],
  patchRole: ['rbac:admin'],
  createRoleBinding: ['rbac:admin'],
  listRoleBindings: ['rbac:admin'],
  deleteRoleBinding: ['rbac:admin'],
  createProject: ['project:write'],
  listProjects: ['project:read'],
  getProject: ['project:read'],
  createEnvironment: ['environment:write'],
  listEnvironments: ['environment:read'],
  getEnvironment: ['environment:read'],
  patchEnvironment: ['environment:write'],
  listAuditEvents: ['audit:read'],
};

const PUBLIC = ['getHealth', 'getReady', 'login'];

type Fixture = { projectId: string; envId: string; n: () => number; p: TestPlatform };
type Call = { method: string; path: string } & Req;

/** A valid request for each operation; fresh resources where the call consumes one. */
const REQUESTS: Record<string, (f: Fixture) => Promise<Call> | Call> = {
  createUser: (f) => ({
    method: 'POST',
    path: '/users',
    body: { username: `made-${f.n()}`, password: 'another long password' },
  }),
  listUsers: () => ({ method: 'GET', path: '/users' }),
  getUser: async (f) => ({ method: 'GET', path: `/users/${(await newUser(f)).id}` }),
  patchUser: async (f) => ({
    method: 'PATCH',
    path: `/users/${(await newUser(f)).id}`,
    body: { disabled: true },
  }),
  getMe: () => ({ method: 'GET', path: '/me' }),
  changeMyPassword: () => ({
    method: 'POST',
    path: '/me/password',
    body: { current_password: 'wrong', new_password: 'a new long password' },
  }),
  createRole: (f) => ({
    method: 'POST',
    path: '/roles',
    body: { name: `role-${f.n()}`, permissions: ['project:read'] },
  }),
  listRoles: () => ({ method: 'GET', path: '/roles' }),
  getRole: async (f) => ({ method: 'GET', path: `/roles/${await roleId(f, 'viewer')}` }),
  patchRole: async (f) => ({
    method: 'PATCH',
    path: `/roles/${await roleId(f, 'viewer')}`,
    body: { permissions: BUILTIN_ROLES.viewer },
  }),
  createRoleBinding: async (f) => ({
    method: 'POST',
    path: '/role-bindings',
    body: { username: (await newUser(f)).username, role: 'viewer', project_id: f.projectId },
  }),
  listRoleBindings: () => ({ method: 'GET', path: '/role-bindings' }),
  deleteRoleBinding: async (f) => {
    const u = await newUser(f);
    const b = await createBinding({ username: u.username, role: 'viewer', project_id: f.projectId }, sys(f));
    return { method: 'DELETE', path: `/role-bindings/${b.id}` };
  },
  createProject: (f) => ({ method: 'POST', path: '/projects', body: { name: `proj-${f.n()}` } }),
  listProjects: () => ({ method: 'GET', path: '/projects' }),
  getProject: (f) => ({ method: 'GET', path: `/projects/${f.projectId}` }),
  createEnvironment: (f) => ({
    method: 'POST',
    path: '/environments',
    body: { project_id: f.projectId, name: `env-${f.n()}`, tier: 'staging' },
  }),
  listEnvironments: (f) => ({ method: 'GET', path: `/environments?project_id=${f.projectId}` }),
  getEnvironment: (f) => ({ method: 'GET', path: `/environments/${f.envId}` }),
  patchEnvironment: (f) => ({
    method: 'PATCH',
    path: `/environments/${f.envId}`,
    body: { runner_pool_id: null },
  }),
  listAuditEvents: (f) => ({ method: 'GET', path: `/audit/events?project_id=${f.projectId}` }),
};

const sys = (f: Fixture) => ({
  db: f.p.deps.database.db,
  clock: f.p.deps.clock,
  actor: { userId: 'matrix', username: 'matrix', source: 'system' as const },
});
const newUser = (f: Fixture) =>
  createUser({ username: `target-${f.n()}`, password: 'a long enough password' }, sys(f));
const roleId = async (f: Fixture, name: string) => {
  const res = await f.p.request('GET', '/roles?limit=200', { token: await f.p.adminToken() });
  return res.json.items.find((r: { name: string }) => r.name === name).id as string;
};

const ROLES = Object.keys(BUILTIN_ROLES) as BuiltinRole[];

describe.each(await backends())('route x role matrix on %s', (backend) => {
  let p: TestPlatform;
  let f: Fixture;
  let operations: { id: string; declared: string[] }[];
  const tokens = {} as Record<BuiltinRole, string>;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    const admin = await p.adminToken();
    const project = await p.request('POST', '/projects', { token: admin, body: { name: 'matrix' } });
    const env = await p.request('POST', '/environments', {
      token: admin,
      body: { project_id: project.json.id, name: 'stage', tier: 'staging' },
    });
    let i = 0;
    f = { p, projectId: project.json.id, envId: env.json.id, n: () => ++i };
    for (const role of ROLES) tokens[role] = (await p.userWithRole(role)).token;
    const doc = (await p.request('GET', '/openapi.json')).json;
    operations = Object.values(doc.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .map((op) => ({ id: op.operationId as string, declared: (op['x-permissions'] ?? null) as string[] }));
  });
  afterAll(() => p.close());

  it('declares on every route exactly the permissions of the table', () => {
    const secured = operations.filter((o) => !PUBLIC.includes(o.id));
    expect(secured.map((o) => o.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const o of secured)
      expect([o.id, [...o.declared].sort()]).toEqual([o.id, [...EXPECTED[o.id]!].sort()]);
    expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = Object.keys(EXPECTED).flatMap((op) => ROLES.map((role) => [op, role] as const));
  it.each(cases)('%s as %s: allowed exactly when the role holds the permissions', async (op, role) => {
    const call = await REQUESTS[op]!(f);
    const res = await p.request(call.method, call.path, { ...call, token: tokens[role] });
    const held = BUILTIN_ROLES[role] as readonly string[];
    const missing = EXPECTED[op]!.filter((perm) => !held.includes(perm));
    if (missing.length) {
      expect(res.status).toBe(403);
      expect(res.json.error.message).toContain(missing[0]);
    } else {
      // changeMyPassword is called with a wrong current password: the refusal is a 422, not a 403.
      expect(res.status, res.text).toBe(
        op === 'changeMyPassword' ? 422 : call.method === 'POST' ? 201 : call.method === 'DELETE' ? 204 : 200,
      );
    }
  });

  it.each(Object.keys(EXPECTED))('%s refuses a request without a token with 401', async (op) => {
    const call = await REQUESTS[op]!(f);
    const res = await p.request(call.method, call.path, { ...call, token: undefined });
    expect(res.status).toBe(401);
  });
});
