import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuedRefresh } from './sessions';

export const REFRESH_COOKIE = 'k8sm_refresh';
/**
 * Only the session routes ever see the cookie: no other request (and so no other handler, log
 * line or proxy of the API) carries the refresh token. Spelled out rather than built from the
 * app's API_BASE, which is defined by the module that imports this one.
 */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: names that never leave the machine. */
const LOOPBACK = /^(localhost|.+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * `Secure` everywhere except plain http to a loopback address, the one case where there is no
 * TLS to require and nothing on the wire to protect (`npm start` on http://127.0.0.1).
 */
export function secureCookieFor(url: string): boolean {
  const u = new URL(url);
  return !(u.protocol === 'http:' && LOOPBACK.test(u.hostname));
}

export const readRefreshCookie = (c: Context) => getCookie(c, REFRESH_COOKIE);

export function setRefreshCookie(c: Context, issued: IssuedRefresh, now: Date) {
  setCookie(c, REFRESH_COOKIE, issued.token, {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureCookieFor(c.req.url),
    maxAge: Math.max(0, Math.floor((issued.expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

export function clearRefreshCookie(c: Context) {
  deleteCookie(c, REFRESH_COOKIE, {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureCookieFor(c.req.url),
  });
}
