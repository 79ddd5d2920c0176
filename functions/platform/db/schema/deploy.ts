import { boolean, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { TICKET_KINDS, TICKET_STATUSES } from '../../../../shared/contracts/approvals';
import { type Check, RISK_LEVELS, RUNTIME_TYPES, STRATEGIES } from '../../../../shared/releases/contracts';
import type { LifecycleState } from '../../../../shared/releases/lifecycle';
import { timestamps, tz } from './columns';
import type { StoredEnvelope } from './credentials';
import { environments } from './environments';
import { projects } from './projects';

export const deployTargets = pgTable('deploy_targets', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  environmentId: text('environment_id')
    .notNull()
    .references(() => environments.id),
  name: text('name').notNull(),
  runtimeType: text('runtime_type', { enum: RUNTIME_TYPES }).notNull(),
  clusterId: text('cluster_id'),
  namespace: text('namespace'),
  hostIds: text('host_ids').array().notNull(),
  composeProject: text('compose_project'),
  appliedReleaseId: text('applied_release_id'),
  /** The sealed key of the tags in this target's masked revisions; made on its first preview. */
  tagKeyEnvelope: jsonb('tag_key_envelope').$type<StoredEnvelope>(),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

export const services = pgTable('services', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  name: text('name').notNull(),
  k8sManifest: text('k8s_manifest'),
  composeFile: text('compose_file'),
  secretVariables: text('secret_variables').array().notNull(),
  description: text('description').notNull().default(''),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

export const projectPolicies = pgTable('project_policies', {
  projectId: text('project_id')
    .primaryKey()
    .references(() => projects.id),
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  updatedAt: tz('updated_at').notNull(),
});

export const approvalTickets = pgTable('approval_tickets', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull(),
  environmentId: text('environment_id'),
  kind: text('kind', { enum: TICKET_KINDS }).notNull(),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id').notNull(),
  status: text('status', { enum: TICKET_STATUSES }).notNull(),
  riskLevel: text('risk_level'),
  requestedBy: text('requested_by').notNull(),
  decidedBy: text('decided_by'),
  decisionComment: text('decision_comment'),
  decidedAt: tz('decided_at'),
  usedAt: tz('used_at'),
  expiresAt: tz('expires_at').notNull(),
  createdAt: tz('created_at').notNull(),
});

export const releases = pgTable('releases', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull(),
  environmentId: text('environment_id').notNull(),
  serviceId: text('service_id').notNull(),
  targetId: text('target_id').notNull(),
  runtimeType: text('runtime_type', { enum: RUNTIME_TYPES }).notNull(),
  strategy: text('strategy', { enum: STRATEGIES }).notNull(),
  lifecycleState: text('lifecycle_state').$type<LifecycleState>().notNull(),
  approvalRequired: boolean('approval_required').notNull(),
  approvalTicketId: text('approval_ticket_id'),
  previewRef: text('preview_ref').notNull().unique(),
  previewHash: text('preview_hash').notNull(),
  expiresAt: tz('expires_at').notNull(),
  baseReleaseId: text('base_release_id'),
  riskLevel: text('risk_level', { enum: RISK_LEVELS }).notNull(),
  checks: jsonb('checks').$type<Check[]>().notNull(),
  diff: jsonb('diff').$type<Record<string, unknown>>().notNull(),
  variablesMasked: jsonb('variables_masked').$type<Record<string, string>>().notNull(),
  renderedMasked: text('rendered_masked').notNull(),
  revisionDigest: text('revision_digest').notNull(),
  /** Each secret as `***` + tag; null for releases previewed before masked revisions existed. */
  maskedRevision: text('masked_revision'),
  /** sha256 hex of exactly `maskedRevision`. */
  maskedDigest: text('masked_digest'),
  secretEnvelope: jsonb('secret_envelope').$type<StoredEnvelope>(),
  rollbackOf: text('rollback_of'),
  diagnosticsJson: jsonb('diagnostics_json').$type<Record<string, unknown>>(),
  /** When retention cut `diagnosticsJson` to its summary; null while the raw output is kept. */
  diagnosticsTrimmedAt: tz('diagnostics_trimmed_at'),
  createdBy: text('created_by').notNull(),
  appliedAt: tz('applied_at'),
  /** The CI build a CD policy made this release from; null for releases people made. */
  buildId: text('build_id'),
  ...timestamps,
});
