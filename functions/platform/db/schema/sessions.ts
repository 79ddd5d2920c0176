import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tz } from './columns';
import { users } from './users';

/** Refresh tokens by their SHA-256; the token itself only ever lives in the user's cookie. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: text('family_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    tokenEpoch: integer('token_epoch').notNull(),
    createdAt: tz('created_at').notNull(),
    expiresAt: tz('expires_at').notNull(),
    familyExpiresAt: tz('family_expires_at').notNull(),
    revokedAt: tz('revoked_at'),
  },
  (t) => [index('refresh_tokens_family').on(t.familyId), index('refresh_tokens_user').on(t.userId)],
);
