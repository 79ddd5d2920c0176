import { queryOptions, useQuery } from '@tanstack/react-query';
import { unlessFetchedAhead } from '../app/fetchedAhead';
import { api, ok } from './client';
import { can, useMe } from './me';

/** The lists the Deploy page chooses from; `app/prefetch.ts` starts them with the page load. */
export const servicesQuery = () =>
  queryOptions({
    queryKey: ['services'],
    queryFn: () => ok(api.GET('/services', {})),
    refetchOnMount: unlessFetchedAhead,
  });

export const environmentsQuery = () =>
  queryOptions({
    queryKey: ['environments'],
    queryFn: () => ok(api.GET('/environments', {})),
    refetchOnMount: unlessFetchedAhead,
  });

export const deployTargetsQuery = () =>
  queryOptions({
    queryKey: ['targets'],
    queryFn: () => ok(api.GET('/deploy/targets', {})),
    refetchOnMount: unlessFetchedAhead,
  });

/**
 * Host names by id for a project's pages (steps, statuses). A reader without `host:read` gets
 * none, and the pages show the ids instead.
 */
export function useHostNames(projectId: string | undefined, wanted = true): Record<string, string> {
  const me = useMe();
  const hosts = useQuery({
    queryKey: ['hosts', { project: projectId }],
    queryFn: () => ok(api.GET('/hosts', { params: { query: { project_id: projectId, limit: 200 } } })),
    enabled: wanted && projectId !== undefined && can(me.data, 'host:read', projectId),
  });
  return Object.fromEntries((hosts.data?.items ?? []).map((h) => [h.id, h.name]));
}
