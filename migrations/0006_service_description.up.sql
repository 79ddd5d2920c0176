-- SPEC §7.0: services carry a free-text description (at most 2,000 characters, checked by the API
-- and, for writers that bypass it, by the table).
alter table services add column description text not null default ''
  constraint services_description_length check (char_length(description) <= 2000);
