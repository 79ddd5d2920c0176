-- The audit chain against someone with database access alone (SPEC §7.5): every event carries a
-- MAC of its hash under an audit_checkpoint data key, so rehashing needs the key; checkpoints
-- chain to each other and are copied outside the database (the anchor).

-- One data key per process lifetime (an epoch), stored wrapped so verify and rotation can reach it.
create table audit_mac_keys (
  id text primary key,
  wrapped_key text not null,
  key_id text not null,
  created_at timestamptz not null
);

-- Events before this migration have no MAC; from this seq on every event must carry one.
create table audit_mac_start (
  seq bigint not null
);
insert into audit_mac_start (seq) select coalesce(max(seq), 0) + 1 from audit_events;

alter table audit_events add column mac_key_id text references audit_mac_keys (id);
alter table audit_events add column mac text;

-- Each checkpoint's MAC covers the previous checkpoint's, so one cannot be dropped from the middle;
-- anchored_at says it was written outside the database (a sweep retries the ones that were not).
alter table audit_checkpoints add column prev_mac text;
alter table audit_checkpoints add column anchored_at timestamptz;
create index audit_checkpoints_unanchored on audit_checkpoints (last_seq) where anchored_at is null;
