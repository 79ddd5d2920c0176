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

/**
 * The session routes, on a client without the middleware below: they act on the cookie, never on
 * the bearer token, and their 401 means "no session", not "refresh and retry". They take only
 * `Content-Type: application/json` (the API's CSRF guard), though they read no body. Their audit
 * events say the web app made them.
 */
const sessionApi = createClient<paths>({ baseUrl: '/api/v1', headers: { 'x-k8sm-source': 'ui' } });
const JSON_TYPE = { 'content-type': 'application/json' };

/** What login and refresh answer. */
type Grant = { access_token: string; expires_in: number };

/** Refresh this long before the access token runs out, so calls never meet an expired one. */
const REFRESH_EARLY_SECONDS = 60;
let renewal: ReturnType<typeof setTimeout> | undefined;

/** Holds a new access token and schedules its renewal from the refresh cookie. */
export function startSession(grant: Grant) {
  clearTimeout(renewal);
  session.set(grant.access_token);
  const after = Math.max(10, grant.expires_in - REFRESH_EARLY_SECONDS);
  // A failed renewal is left to the next call's 401, which tries once more before giving up.
  renewal = setTimeout(() => void refreshSession(), after * 1000);
}

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh cookie for a new access token; false when there is no session. One at a
 * time in this tab, and across tabs under a Web Lock: the cookie is single-use, and two refreshes
 * sending the same one would look like theft to the API and end the session. `onSending`: called
 * when this tab holds the lock and the request goes out.
 */
export function refreshSession(onSending?: () => void): Promise<boolean> {
  refreshing ??= (async () => {
    const trade = async () => {
      onSending?.();
      // Ahead of the scripts a page load fetches meanwhile: the page's data waits for this answer.
      const { data, response } = await sessionApi.POST('/auth/refresh', {
        headers: JSON_TYPE,
        priority: 'high',
      });
      if (!response.ok || !data) return false;
      startSession(data);
      return true;
    };
    try {
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      return await (locks ? locks.request('k8sm-refresh', trade) : trade());
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Signs in: the access token to memory, the refresh token to its cookie (set by the API). */
export async function signIn(username: string, password: string) {
  startSession(await ok(sessionApi.POST('/auth/login', { body: { username, password } })));
}

/** Ends the session on the server (the cookie's whole family) and in the page. */
export async function signOut() {
  clearTimeout(renewal);
  try {
    await sessionApi.POST('/auth/logout', { headers: JSON_TYPE });
  } finally {
    session.set(null);
  }
}

/** Signed out: forget the token and go to sign-in, remembering where the user was. */
function sendToSignIn() {
  clearTimeout(renewal);
  session.set(null);
  const to = signInUrl();
  if (navigate) navigate(to);
  else window.location.assign(to);
}

/** A copy of each request as it was sent, so one refused with 401 can be sent again. */
const sent = new Map<string, Request>();

api.use({
  onRequest({ request, id }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    sent.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id }) {
    const copy = sent.get(id);
    sent.delete(id);
    if (response.status !== 401 || !copy || new URL(copy.url).pathname.startsWith('/api/v1/auth/'))
      return response;
    // Another call may have refreshed meanwhile; otherwise refresh now. Then one retry only.
    const current = session.token();
    const stale = !current || copy.headers.get('authorization') === `Bearer ${current}`;
    if (!stale || (await refreshSession())) {
      copy.headers.set('authorization', `Bearer ${session.token()}`);
      const again = await fetch(copy);
      if (again.status !== 401) return again;
    }
    sendToSignIn();
    return response;
  },
  onError({ id }) {
    sent.delete(id);
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
