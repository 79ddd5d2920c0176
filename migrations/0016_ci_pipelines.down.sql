update roles set permissions = array_remove(array_remove(permissions, 'ci:read'), 'ci:write');
drop table ci_webhook_refusals;
drop table ci_deliveries;
drop table ci_builds;
drop table ci_pipelines;
