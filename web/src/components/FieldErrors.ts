import { ApiError } from '../api/client';

/** The API's message for a field of a refused form (`fields[].path`), shown on that field. */
export const fieldError = (error: unknown, path: string) =>
  error instanceof ApiError ? error.field(path) : undefined;

/**
 * Every message at `path` or inside it (`kubeconfig.users[0].user.token`), each with the part of
 * the path below the field: a document field (a kubeconfig) is refused for what is inside it, and
 * the user needs to know where.
 */
export function fieldErrorsUnder(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.fields.flatMap((f) => {
    if (f.path === path) return [f.message];
    if (f.path.startsWith(`${path}.`) || f.path.startsWith(`${path}[`))
      return [`${f.path.slice(path.length).replace(/^\./, '')}: ${f.message}`];
    return [];
  });
  return messages.length ? messages.join('; ') : undefined;
}
