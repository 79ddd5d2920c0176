import { createMiddleware } from 'hono/factory';
import { AUDIT_SOURCES, type AuditSource } from '../../../shared/events';
import { verifyAccessToken } from '../auth/tokens';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import { loadCaller } from '../rbac/repo';

const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'a valid bearer token is required', [], {
    'WWW-Authenticate': 'Bearer realm="k8s-manage"',
  });

/** Clients may say they are the UI; only the platform itself marks events ai, runner or system. */
const CLIENT_SOURCES: AuditSource[] = ['ui', 'api'];

export const authenticate = createMiddleware<ApiEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
  if (!match?.[1]) throw unauthenticated();
  const deps = c.var.deps;
  const claims = await verifyAccessToken(match[1], deps.jwtKey, deps.clock);
  if (!claims) throw unauthenticated();
  const caller = await loadCaller(deps.database.db, claims.sub);
  const user = caller?.user;
  // A disabled or deleted user's unexpired token stops working at once, and so does every token
  // issued before the user's last password change or disable (an older epoch).
  if (!user || user.disabled || claims.ep < user.tokenEpoch) throw unauthenticated();
  const asked = c.req.header('x-k8sm-source') as AuditSource | undefined;
  const source = asked && CLIENT_SOURCES.includes(asked) && AUDIT_SOURCES.includes(asked) ? asked : 'api';
  c.set('user', user);
  c.set('actor', { userId: user.id, username: user.username, source });
  c.set('grants', deps.authorizer.fromRows(user.id, caller.grants));
  await next();
});
