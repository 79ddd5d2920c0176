/**
 * The signed-in user's access token, in memory only: a script injected into the page cannot read
 * it from storage, and a reload signs in again. Listeners hear sign-in and sign-out.
 */
type Listener = () => void;

let accessToken: string | null = null;
const listeners = new Set<Listener>();

export const session = {
  token: () => accessToken,
  signedIn: () => accessToken !== null,
  set(token: string | null) {
    accessToken = token;
    for (const l of listeners) l();
  },
  subscribe(l: Listener) {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

/** Where a 401 sends the user: the sign-in page, remembering the page to come back to. */
export function signInUrl(from: string = window.location.pathname + window.location.search) {
  return from && from !== '/login' ? `/login?next=${encodeURIComponent(from)}` : '/login';
}
