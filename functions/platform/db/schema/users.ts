import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns';

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  /** Advanced by a password change or a disable: tokens carrying an older epoch stop working. */
  tokenEpoch: integer('token_epoch').notNull().default(0),
  ...timestamps,
});
