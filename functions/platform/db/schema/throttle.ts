import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tz } from './columns';

export const loginThrottle = pgTable('login_throttle', {
  bucket: text('bucket').primaryKey(),
  windowStart: tz('window_start').notNull(),
  failures: integer('failures').notNull(),
});
