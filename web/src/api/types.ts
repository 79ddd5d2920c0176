import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Release = Json<paths['/deploy/releases/{id}']['get']['responses'][200]>;
export type Ticket = Json<paths['/approvals/inbox/{id}']['get']['responses'][200]>;
export type TimelineEvent = Json<
  paths['/deploy/releases/{id}/timeline']['get']['responses'][200]
>['items'][number];
export type Job = Json<paths['/jobs/{id}']['get']['responses'][200]>;
export type JobListItem = Json<paths['/jobs']['get']['responses'][200]>['items'][number];
export type JobStep = Job['steps'][number];
