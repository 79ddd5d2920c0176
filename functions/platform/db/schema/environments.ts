import { pgTable, text } from 'drizzle-orm/pg-core';
import { TIERS } from '../../../../shared/contracts/projects';
import { timestamps, tz } from './columns';
import { projects } from './projects';

export const environments = pgTable('environments', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  name: text('name').notNull(),
  tier: text('tier', { enum: TIERS }).notNull(),
  runnerPoolId: text('runner_pool_id'),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});
