import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, ok } from './client';
import { session } from './session';

/** The signed-in user, their roles and effective permissions (`GET /me`), cached for the session. */
export const meQuery = () =>
  queryOptions({
    queryKey: ['me', session.subject()],
    queryFn: () => ok(api.GET('/me')),
    staleTime: 60_000,
  });

export function useMe() {
  return useQuery({ ...meQuery(), enabled: session.signedIn() });
}

type Me = NonNullable<ReturnType<typeof useMe>['data']>;

/** Whether the user holds `permission` in `projectId` (a grant without a project covers every one). */
export function can(me: Me | undefined, permission: string, projectId?: string | null): boolean {
  if (!me) return false;
  return me.permissions.some(
    (g) =>
      (g.project_id === null || projectId === undefined || g.project_id === projectId) &&
      (g.permissions as string[]).includes(permission),
  );
}
