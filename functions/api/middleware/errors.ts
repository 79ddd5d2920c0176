import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { FieldError } from '../../../shared/errors';
import { createLogger, type Logger } from '../../platform/logger';
import type { ApiEnv } from '../env';
import { ApiError, errorBody } from '../errors';

let fallback: Logger | undefined;
const fallbackLogger = () => {
  fallback ??= createLogger('error');
  return fallback;
};

/** `a.b[0].c`: the path style SPEC §3 uses in `fields`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** One entry per bad field; an unknown key is named by its own path, not its parent's. */
export const zodFields = (error: ZodError): FieldError[] =>
  error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: fieldPath([...i.path, k]), message: 'unknown field' }))
      : [{ path: fieldPath(i.path), message: i.message }],
  );

/** zod-openapi calls this when a request part fails its schema. */
export function validationHook(result: { success: boolean; error?: ZodError }, _c: Context) {
  if (!result.success && result.error) {
    throw new ApiError('VALIDATION_FAILED', 'request failed validation', zodFields(result.error));
  }
}

/** The one place an error becomes an HTTP response. Nothing but code, message and fields leaves. */
export function onError(err: Error, c: Context<ApiEnv>) {
  const requestId = c.get('requestId') ?? 'unknown';
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(
      errorBody(err.code, err.message, requestId, err.fields),
      err.status as ContentfulStatusCode,
    );
  }
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return c.json(errorBody('PAYLOAD_TOO_LARGE', 'request body too large', requestId), 413);
    if (err.status === 415)
      return c.json(errorBody('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json', requestId), 415);
    if (err.status === 400)
      return c.json(errorBody('BAD_REQUEST', 'the body is not valid JSON', requestId), 400);
  }
  // Without resolved dependencies (broken settings) there is no configured logger: use a plain one.
  (c.var.deps?.logger ?? fallbackLogger()).error('unhandled error', { request_id: requestId, err });
  return c.json(errorBody('INTERNAL', 'internal error', requestId), 500);
}
