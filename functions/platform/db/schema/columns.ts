import { timestamp } from 'drizzle-orm/pg-core';

export const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const timestamps = {
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
};
