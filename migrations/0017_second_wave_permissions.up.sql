-- The rest of the second wave's permissions (SPEC §4/§7): built-in roles that already exist keep
-- operator edits and gain only what is new.
update roles set permissions = array_append(permissions, 'ai:command')
  where builtin and name in ('admin', 'viewer', 'deployer', 'approver')
  and not ('ai:command' = any (permissions));
update roles set permissions = array_append(permissions, 'notification:read')
  where builtin and name in ('admin', 'viewer', 'deployer', 'approver')
  and not ('notification:read' = any (permissions));
update roles set permissions = array_append(permissions, 'cd:write')
  where builtin and name in ('admin', 'deployer') and not ('cd:write' = any (permissions));
update roles set permissions = array_append(permissions, 'notification:write')
  where builtin and name = 'admin' and not ('notification:write' = any (permissions));
