drop index audit_checkpoints_unanchored;
alter table audit_checkpoints drop column anchored_at;
alter table audit_checkpoints drop column prev_mac;
alter table audit_events drop column mac;
alter table audit_events drop column mac_key_id;
drop table audit_mac_start;
drop table audit_mac_keys;
