import type { FetchQueryOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import { deployTargetsQuery, environmentsQuery, servicesQuery } from '../api/lists';
import { meQuery } from '../api/me';
import { restoreOnce } from './boot';
import { forgetFetchedAhead, markFetchedAhead } from './fetchedAhead';
import { routeOf, type SignedInRoute } from './pages';

type Start = <T>(options: FetchQueryOptions<T, Error, T, QueryKey>) => void;

/** What a signed-in page asks for as soon as it mounts, asked for here as soon as the session is back. */
const PAGE_QUERIES: Partial<Record<SignedInRoute, (start: Start) => void>> = {
  '/': (start) => {
    start(servicesQuery());
    start(environmentsQuery());
    start(deployTargetsQuery());
  },
};

/**
 * Starts the data the first page needs the moment the session is restored, while its chunk may
 * still be loading, instead of when its component first renders. The layout's `/me` goes with it.
 */
export async function prefetchFirstPage(client: QueryClient, pathname: string) {
  const here = routeOf(pathname);
  if (!here?.signedIn || !(await restoreOnce())) return;
  void client.prefetchQuery(meQuery());
  PAGE_QUERIES[here.route as SignedInRoute]?.((q) => {
    markFetchedAhead(q.queryKey);
    void client.prefetchQuery(q);
  });
}

/** Once the user leaves the first page, its queries refetch on mount like any other. */
export function forgetOnLeaving(
  router: { subscribe(f: (s: { location: { pathname: string } }) => void): unknown },
  pathname: string,
) {
  router.subscribe((s) => {
    if (s.location.pathname !== pathname) forgetFetchedAhead();
  });
}
