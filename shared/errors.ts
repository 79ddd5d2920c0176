/**
 * The closed set of error codes the platform speaks, API and job steps alike, and the HTTP
 * status each maps to. Adding a code means adding it here; nothing else invents codes.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ILLEGAL_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  THROTTLED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldError = { path: string; message: string };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; fields: FieldError[]; request_id: string };
};
