import { use, useSyncExternalStore } from 'react';
import { Navigate, useLocation } from 'react-router';
import { session, signInUrl } from '../api/session';
import { restoreOnce } from './boot';

export function useSignedIn() {
  return useSyncExternalStore(session.subscribe, session.signedIn);
}

/** Pages behind sign-in: without a session, go to /login and come back here afterwards. */
export function RequireAuth({ children }: { children: React.ReactNode }) {
  const signedIn = useSignedIn();
  const here = useLocation();
  // Suspends (the router's Suspense shows the loader) until the page load's one try has answered.
  use(restoreOnce());
  if (!signedIn && !session.signedIn())
    return <Navigate to={signInUrl(here.pathname + here.search)} replace />;
  return children;
}
