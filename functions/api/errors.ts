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

/**
 * 409 IN_USE naming what still uses a resource a request would delete or repoint (SPEC §7.0):
 * `users` counts each kind of user, e.g. `{ environments: 2, 'unfinished releases': 0 }`, or lists
 * them by name (or id) so the message says which ones, e.g. `{ 'target(s)': ['web-prod'] }`.
 */
export function assertUnused(what: string, users: Record<string, number | readonly string[]>): void {
  const named = Object.entries(users)
    .filter(([, n]) => (typeof n === 'number' ? n > 0 : n.length > 0))
    .map(([kind, n]) => (typeof n === 'number' ? `${n} ${kind}` : `${n.length} ${kind}: ${listed(n)}`));
  if (named.length) throw new ApiError('IN_USE', `the ${what} is in use by ${named.join(', ')}`);
}

/** A few names are enough to find the rest; the message stays one line. */
const MAX_NAMED = 5;
const listed = (names: readonly string[]) =>
  names.length > MAX_NAMED ? `${names.slice(0, MAX_NAMED).join(', ')}, …` : names.join(', ');

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
