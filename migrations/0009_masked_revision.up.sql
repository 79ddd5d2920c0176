-- What was approved can be read back and recomputed (SPEC §7.5): each target keeps one sealed key
-- for the tags of its masked secrets (so tags compare across its releases), and each release keeps
-- the masked revision text and the sha256 of exactly that text. Releases previewed before this
-- migration have neither.
alter table deploy_targets add column tag_key_envelope jsonb;
alter table releases add column masked_revision text;
alter table releases add column masked_digest text;
