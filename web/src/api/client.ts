import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { session, signInUrl } from './session';

/** The API's error shape (SPEC §3), thrown by `ok()` so pages can show `fields` on their fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
  /** The message for one field (`payload.private_key`), if the API named it. */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path.endsWith(`.${path}`))?.message;
  }
}

export type Schemas = components['schemas'];

/** The public API, typed from its OpenAPI document: the SPA has no other way in. */
export const api = createClient<paths>({ baseUrl: '/api/v1' });

/** Set by the router: how a 401 takes the user to sign-in without a page load. */
let navigate: ((to: string) => void) | null = null;
export const setNavigator = (n: (to: string) => void) => {
  navigate = n;
};

api.use({
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/auth/login')) {
      session.set(null);
      const to = signInUrl();
      if (navigate) navigate(to);
      else window.location.assign(to);
    }
    return response;
  },
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a 2xx answer, or the API's error thrown as an `ApiError`. */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const e = (error as { error?: { code?: string; message?: string; fields?: ApiError['fields'] } })?.error;
  throw new ApiError(response.status, e?.code ?? 'ERROR', e?.message ?? response.statusText, e?.fields ?? []);
}
