import { boolean, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps, tz } from './columns';
import { projects } from './projects';
import { users } from './users';

export const roles = pgTable('roles', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  permissions: text('permissions').array().notNull(),
  builtin: boolean('builtin').notNull().default(false),
  ...timestamps,
});

export const roleBindings = pgTable('role_bindings', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  roleId: text('role_id')
    .notNull()
    .references(() => roles.id),
  projectId: text('project_id').references(() => projects.id),
  createdAt: tz('created_at').notNull(),
});
