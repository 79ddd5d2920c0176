import { pgTable, text } from 'drizzle-orm/pg-core';
import { tz } from './columns';

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: tz('created_at').notNull(),
  deletedAt: tz('deleted_at'),
});
