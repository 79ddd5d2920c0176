drop table credential_reveal_tickets;
alter table users drop column token_epoch;
