import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/**
 * Conditional GETs for what the SPA polls (a release's timeline, an install task's steps). The tag
 * is a digest of the exact body that would be sent, so it changes whenever anything the response
 * shows changes, whatever changed it; no row has to remember a version. Plain headers only, so it
 * works the same behind API Gateway's HTTP API as on the local server.
 */
export const etagOf = (body: unknown): string =>
  `"${createHash('sha256').update(JSON.stringify(body), 'utf8').digest('base64url').slice(0, 32)}"`;

/** True when `If-None-Match` names `etag` (a list, a weak form or `*` included, RFC 9110 §13.1.2). */
export function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** The documented 304 of a route answered by `conditionalJson`. */
export const notModified = {
  304: {
    description: 'Not modified: the If-None-Match sent names the current ETag (no body)',
    headers: { ETag: { schema: { type: 'string' as const }, description: 'The current ETag' } },
  },
};

/** The 200 with its `ETag`, or 304 without a body when the client already holds it. */
export function conditionalJson<T extends object>(c: Context, body: T) {
  const etag = etagOf(body);
  c.header('ETag', etag);
  // Each client revalidates; no shared cache keeps one user's view for another.
  c.header('Cache-Control', 'private, no-cache');
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return c.json(body, 200);
}
