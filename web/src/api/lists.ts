import { queryOptions } from '@tanstack/react-query';
import { unlessFetchedAhead } from '../app/fetchedAhead';
import { api, ok } from './client';

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
