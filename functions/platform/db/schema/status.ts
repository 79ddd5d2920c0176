import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { TARGET_HEALTH, type TargetStatusResult } from '../../../../shared/jobs/target-status';
import { tz } from './columns';
import { deployTargets } from './deploy';
import { projects } from './projects';

/** The newest status a runner reported for a target (SPEC §7.4); replaced by a newer one. */
export const targetStatuses = pgTable('target_statuses', {
  targetId: text('target_id')
    .primaryKey()
    .references(() => deployTargets.id),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  state: text('state', { enum: TARGET_HEALTH }).notNull(),
  observedAt: tz('observed_at').notNull(),
  jobId: text('job_id').notNull(),
  errorCode: text('error_code'),
  report: jsonb('report').$type<TargetStatusResult>().notNull(),
});
