import { refreshSession } from '../api/client';
import { session } from '../api/session';
import { routeOf, SIGNED_IN_PAGES, SIGNED_OUT_PAGES } from './pages';

/**
 * What a page load starts before React, Mantine and the router are even set up, so that none
 * waits for another (the Deploy page was three round trips in a row: refresh, page chunk, data).
 * The entry runs this, then loads the app (`start.tsx`).
 */

let sending: () => void = () => undefined;
const sent = new Promise<void>((resolve) => {
  sending = resolve;
});

/**
 * The one try, per page load, to pick up the session from the refresh cookie: a reload keeps the
 * user signed in. Later sign-outs do not try again; they go to /login.
 */
let restored: Promise<boolean> | null = null;
export const restoreOnce = () => {
  restored ??= session.signedIn() ? Promise.resolve(true) : refreshSession(sending);
  return restored;
};

const here = routeOf(window.location.pathname);

/**
 * Resolves once the refresh has gone out (or at once when the page needs none). The refresh
 * waits for its Web Lock, granted in a later task; the app's modules evaluate and render in one
 * long task, which on a busy machine held the request back by hundreds of milliseconds. So the
 * app starts after it. Not longer than a moment: another tab holding the lock must not hold up
 * this page.
 */
export const booted: Promise<unknown> = here?.signedIn
  ? // The sign-in page never needs the cookie; every other page does, before its first request.
    Promise.race([sent, restoreOnce(), new Promise((wait) => setTimeout(wait, 50))])
  : Promise.resolve();

if (here) {
  const load = here.signedIn
    ? SIGNED_IN_PAGES[here.route as keyof typeof SIGNED_IN_PAGES]
    : SIGNED_OUT_PAGES[here.route as keyof typeof SIGNED_OUT_PAGES];
  // After the refresh, so that it is not queued behind the page's scripts (six connections to a
  // host over HTTP/1.1). The page's lazy component imports the same module and meets any failure.
  void booted.then(() => load().catch(() => undefined));
}
