-- Token epochs: every access token carries the user's epoch at issue; a password change or a
-- disable advances it, and authenticate refuses tokens with an older one. Refresh tokens will
-- carry and check the same epoch.
alter table users add column token_epoch integer not null default 0;

-- The credential version a reveal ticket was asked for: the SHA-256 of the envelope's wrapped
-- data key, which every seal (create, rotate) draws afresh. Collection refuses a ticket whose
-- version is no longer the credential's, so an approval never hands out a rotated secret.
create table credential_reveal_tickets (
  ticket_id text primary key references approval_tickets(id),
  credential_id text not null references credentials(id),
  data_key_sha256 text not null
);

-- Reveal tickets asked for before this table existed are bound to the credential as it is now.
insert into credential_reveal_tickets (ticket_id, credential_id, data_key_sha256)
select t.id, t.resource_id, encode(sha256(convert_to(c.envelope->>'wrapped_key', 'UTF8')), 'hex')
  from approval_tickets t
  join credentials c on c.id = t.resource_id
 where t.kind = 'credential_reveal';
