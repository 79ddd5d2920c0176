-- SPA sessions (SPEC §7.1): the refresh tokens behind the httpOnly cookie. Only a SHA-256 of each
-- token is kept, so a read of this table gives nobody a session. A token is used once: refresh
-- revokes it and issues the next of its family; a revoked token shown again revokes the whole
-- family (whoever holds a copy is locked out along with the owner, who signs in again).
-- token_epoch is the user's epoch at issue: a password change or a disable advances the user's and
-- ends the family, as it ends access tokens.
create table refresh_tokens (
  token_hash text primary key,
  family_id text not null,
  user_id text not null references users(id),
  token_epoch integer not null,
  created_at timestamptz not null,
  -- Idle limit: unused this long, the token is dead. Never later than family_expires_at.
  expires_at timestamptz not null,
  -- Absolute limit of the sign-in the family started with.
  family_expires_at timestamptz not null,
  revoked_at timestamptz
);
create index refresh_tokens_family on refresh_tokens (family_id);
create index refresh_tokens_user on refresh_tokens (user_id);
