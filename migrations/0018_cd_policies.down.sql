drop table cd_work;
drop index releases_build;
alter table releases drop column build_id;
alter table ci_builds drop column deployments;
drop table cd_policies;
