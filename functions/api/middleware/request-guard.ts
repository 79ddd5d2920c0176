import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { FieldError } from '../../../shared/errors';
import { stringProblem } from '../../../shared/strings';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import { fieldPath } from './errors';

/** The media types zod-openapi accepts for a declared `application/json` body. */
export const JSON_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/** Deeper than any schema goes; walking further would let a crafted body exhaust the stack. */
const MAX_DEPTH = 64;

/** Every string in a parsed value (keys included) that breaks the string rule, by field path. */
export function hostileStrings(
  value: unknown,
  path: PropertyKey[] = [],
  out: FieldError[] = [],
): FieldError[] {
  if (path.length > MAX_DEPTH) {
    out.push({ path: fieldPath(path), message: 'is nested too deeply' });
  } else if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) out.push({ path: fieldPath(path), message: problem });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) hostileStrings(v, [...path, i], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = stringProblem(k);
      if (keyProblem) out.push({ path: fieldPath([...path, k]), message: `has a name that ${keyProblem}` });
      else hostileStrings(v, [...path, k], out);
    }
  }
  return out;
}

async function hasBody(c: Context): Promise<boolean> {
  if (c.req.raw.body === null) return false;
  return (await c.req.arrayBuffer()).byteLength > 0;
}

/**
 * Runs on every route before its authorization and its schemas, both of which may look rows up
 * by what the caller sent: a body in another media type is refused with 415, and NUL or a lone
 * surrogate in any path parameter, query parameter or JSON body string with 422 naming each field
 * as the schema would. A body that does not parse is left to the validator's 400.
 */
export function requestGuard(opts: { jsonBody: boolean }) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const fields: FieldError[] = [];
    hostileStrings(c.req.param(), [], fields);
    // A repeated query parameter is still one field to its schema.
    for (const [name, values] of Object.entries(c.req.queries())) {
      const problem = [name, ...values].map(stringProblem).find((p) => p);
      if (problem) fields.push({ path: name, message: problem });
    }
    if (opts.jsonBody) {
      const type = c.req.header('content-type');
      if (type ? !JSON_TYPE.test(type) : await hasBody(c))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
      if (type) {
        const body = await c.req.json().catch(() => undefined);
        hostileStrings(body, [], fields);
      }
    }
    if (fields.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', dedupe(fields));
    await next();
  });
}

const dedupe = (fields: FieldError[]) => [...new Map(fields.map((f) => [f.path, f])).values()];
