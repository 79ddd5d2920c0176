import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import { findRunner, touchRunner } from './repo';
import { hashToken, runnerIdOf, sameHash } from './tokens';

const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'a valid runner token is required', [], {
    'WWW-Authenticate': 'Bearer realm="k8s-manage-runner"',
  });

/** `last_seen_at` is written at most this often per runner. */
const TOUCH_EVERY_MS = 10_000;

/** A revoked runner, or one whose token was rotated, is refused at once. */
export const authenticateRunner = createMiddleware<ApiEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const token = header ? /^Bearer (\S{1,200})$/.exec(header)?.[1] : undefined;
  const id = token ? runnerIdOf(token) : null;
  if (!token || !id) throw unauthenticated();
  const { db } = c.var.deps.database;
  const runner = await findRunner(db, id);
  if (!runner || runner.revokedAt || !sameHash(runner.tokenHash, hashToken(token))) throw unauthenticated();
  await touchRunner(db, runner.id, c.var.deps.clock.now(), TOUCH_EVERY_MS);
  c.set('runner', runner);
  await next();
});
