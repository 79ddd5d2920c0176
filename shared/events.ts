/**
 * Audit event names. Every mutation writes one of these in its own transaction; the taxonomy
 * grows here and nowhere else.
 */
export const AUDIT_ACTIONS = [
  'auth.login_succeeded',
  'auth.login_failed',
  'user.created',
  'user.updated',
  'user.password_changed',
  'role.created',
  'role.updated',
  'role_binding.created',
  'role_binding.deleted',
  'project.created',
  'environment.created',
  'environment.updated',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_SOURCES = ['ui', 'api', 'ai', 'runner', 'system'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
