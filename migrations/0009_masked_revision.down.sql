alter table releases drop column masked_digest;
alter table releases drop column masked_revision;
alter table deploy_targets drop column tag_key_envelope;
