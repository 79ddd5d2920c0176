import { ApiError } from '../api/client';

/** The API's message for a field of a refused form (`fields[].path`), shown on that field. */
export const fieldError = (error: unknown, path: string) =>
  error instanceof ApiError ? error.field(path) : undefined;
