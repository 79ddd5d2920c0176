drop table ci_trigger_attempts;
alter table ci_pipelines drop column last_fired_slot;
-- The old constraint knows no ci_provider: pipelines stop naming such tokens, and the tokens are
-- shredded and deleted as a DELETE would (rows stay for the audit trail, under another kind name
-- the old constraint accepts, with nothing left that could be opened).
update ci_pipelines set provider_credential_id = null
  where provider_credential_id in (select id from credentials where kind = 'ci_provider');
update credentials set kind = 'token', deleted_at = coalesce(deleted_at, now()),
  envelope = '{"v":0,"alg":"none","ciphertext":"","nonce":"","tag":"","wrapped_key":"","key_id":"deleted"}'::jsonb
  where kind = 'ci_provider';
alter table credentials drop constraint credentials_kind_check;
alter table credentials add constraint credentials_kind_check check (kind in
  ('ssh_private_key', 'ssh_password', 'kubeconfig', 'cert_set', 'token'));
