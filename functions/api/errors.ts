import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldError } from '../../shared/errors';

/** The one error type services throw for expected refusals; the error handler maps it to SPEC §3. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  get status() {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} not found`);

export const invalid = (path: string, message: string) =>
  new ApiError('VALIDATION_FAILED', 'request failed validation', [{ path, message }]);

export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  fields: FieldError[] = [],
): ErrorBody {
  return { error: { code, message, fields, request_id: requestId } };
}
