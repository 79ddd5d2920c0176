import { use, useSyncExternalStore } from 'react';
import { Navigate, useLocation } from 'react-router';
import { refreshSession } from '../api/client';
import { session, signInUrl } from '../api/session';

export function useSignedIn() {
  return useSyncExternalStore(session.subscribe, session.signedIn);
}

/**
 * The one try, per page load, to pick up the session from the refresh cookie: a reload keeps the
 * user signed in. Later sign-outs do not try again; they go to /login.
 */
let restored: Promise<boolean> | null = null;
const restoreOnce = () => {
  restored ??= session.signedIn() ? Promise.resolve(true) : refreshSession();
  return restored;
};

/** Pages behind sign-in: without a session, go to /login and come back here afterwards. */
export function RequireAuth({ children }: { children: React.ReactNode }) {
  const signedIn = useSignedIn();
  const here = useLocation();
  // Suspends (the router's Suspense shows the loader) until the first try has answered.
  use(restoreOnce());
  if (!signedIn && !session.signedIn())
    return <Navigate to={signInUrl(here.pathname + here.search)} replace />;
  return children;
}
