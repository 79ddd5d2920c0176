import { hashKey, type Query, type QueryKey } from '@tanstack/react-query';

/**
 * Queries this page load fetched before their page's code arrived (`prefetch.ts`). The page's
 * first mount takes their answer as it is instead of asking again; once the user moves on, they
 * are ordinary queries that refetch on mount.
 */
const ahead = new Set<string>();

export const markFetchedAhead = (key: QueryKey) => ahead.add(hashKey(key));
export const forgetFetchedAhead = () => ahead.clear();
/** For `refetchOnMount`. */
export const unlessFetchedAhead = <T>(query: Query<T, Error, T>) => !ahead.has(query.queryHash);
