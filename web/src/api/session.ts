/**
 * The signed-in user's access token, in memory only: a script injected into the page cannot read
 * it from storage. A reload gets a new one from the refresh cookie (`client.ts`). Listeners hear
 * sign-in, refresh and sign-out.
 */
type Listener = () => void;

let accessToken: string | null = null;
let subject: string | null = null;
const listeners = new Set<Listener>();

/** The user a token was issued to (`sub`); the server checks it, the page only keys caches by it. */
function subjectOf(token: string): string | null {
  try {
    const claims = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

export const session = {
  token: () => accessToken,
  signedIn: () => accessToken !== null,
  /** Stays the same across refreshes, so per-user caches survive them. */
  subject: () => subject,
  set(token: string | null) {
    accessToken = token;
    subject = token ? subjectOf(token) : null;
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
