/**
 * Permission names and the built-in roles (SPEC §4). The one place that says what each role holds;
 * the route x role test and the role seeding both read it.
 */
export const PERMISSIONS = [
  'deploy:release:read',
  'deploy:k8s:read',
  'deploy:compose:read',
  'deploy:release:apply',
  'deploy:release:rollback',
  'deploy:release:approve',
  'deploy:k8s:apply',
  'deploy:k8s:rollback',
  'deploy:compose:apply',
  'deploy:compose:rollback',
  'deploy:approval:read',
  'deploy:approval:review',
  'credential:import',
  'credential:test',
  'credential:read_meta',
  'credential:reveal',
  'environment:read',
  'environment:write',
  'environment:install',
  'target:read',
  'target:write',
  'audit:read',
  'rbac:admin',
  'project:read',
  'project:write',
  'service:read',
  'service:write',
  'host:read',
  'host:write',
  'cluster:read',
  'cluster:write',
  'runner:read',
  'runner:admin',
  'policy:write',
  'ci:read',
  'ci:write',
  'cd:write',
  'ai:command',
  'notification:read',
  'notification:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: string): value is Permission =>
  (PERMISSIONS as readonly string[]).includes(value);

const VIEWER: readonly Permission[] = [
  ...PERMISSIONS.filter((p) => p.endsWith(':read')),
  'credential:read_meta',
  // The bridge acts as its caller, so asking is harmless: what it may do is what the caller may.
  'ai:command',
];

const DEPLOYER: readonly Permission[] = [
  ...VIEWER,
  'deploy:release:apply',
  'deploy:release:rollback',
  'deploy:k8s:apply',
  'deploy:k8s:rollback',
  'deploy:compose:apply',
  'deploy:compose:rollback',
  'service:write',
  'target:write',
  'ci:write',
  'cd:write',
];

const APPROVER: readonly Permission[] = [...VIEWER, 'deploy:release:approve', 'deploy:approval:review'];

export const BUILTIN_ROLES = {
  admin: PERMISSIONS,
  viewer: VIEWER,
  deployer: DEPLOYER,
  approver: APPROVER,
} as const satisfies Record<string, readonly Permission[]>;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** The Casbin domain of a binding that holds in every project. */
export const ALL_PROJECTS = '*';
