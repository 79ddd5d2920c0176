import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Release = Json<paths['/deploy/releases/{id}']['get']['responses'][200]>;
export type Ticket = Json<paths['/approvals/inbox/{id}']['get']['responses'][200]>;
export type TimelineEvent = Json<
  paths['/deploy/releases/{id}/timeline']['get']['responses'][200]
>['items'][number];
/** A pool as lists show it (the single read adds its queue and online runners). */
export type RunnerPool = Json<paths['/runner-pools']['get']['responses'][200]>['items'][number];
export type Runner = Json<paths['/runners/{id}']['get']['responses'][200]>;
export type AuditEvent = Json<paths['/audit/events/{id}']['get']['responses'][200]>;
export type AuditVerdict = Json<paths['/audit/verify']['get']['responses'][200]>;
export type AuditAction = NonNullable<
  NonNullable<paths['/audit/events']['get']['parameters']['query']>['action']
>;
export type Policy = Json<paths['/projects/{id}/policy']['get']['responses'][200]>;
export type User = Json<paths['/users/{id}']['get']['responses'][200]>;
export type RoleBinding = Json<paths['/role-bindings/{id}']['get']['responses'][200]>;
export type InstallTask = Json<paths['/environments/{id}/install/tasks/{task_id}']['get']['responses'][200]>;
export type InstallBundle = Json<paths['/install/bundles']['get']['responses'][200]>['items'][number];
export type InstallLogEntry = Json<
  paths['/environments/{id}/install/tasks/{task_id}/logs']['get']['responses'][200]
>['items'][number];
export type Credential = Json<paths['/credentials/{id}']['get']['responses'][200]>;
export type Host = Json<paths['/hosts/{id}']['get']['responses'][200]>;
export type Cluster = Json<paths['/clusters/{id}']['get']['responses'][200]>;
export type Job = Json<paths['/jobs/{id}']['get']['responses'][200]>;
export type JobListItem = Json<paths['/jobs']['get']['responses'][200]>['items'][number];
export type JobStep = Job['steps'][number];
export type TargetStatus = Json<paths['/deploy/targets/{id}/status']['get']['responses'][200]>;
export type TargetStatusSummary = Json<paths['/deploy/status']['get']['responses'][200]>['items'][number];
export type InstallDrift = Json<paths['/environments/{id}/install/verify/{job_id}']['get']['responses'][200]>;
export type PipelineWithSecret = Json<paths['/ci/pipelines']['post']['responses'][201]>;
export type CiProvider = PipelineWithSecret['provider'];
export type AiCommand = Json<paths['/ai/commands/{id}']['get']['responses'][200]>;
