update roles set permissions = array_remove(array_remove(array_remove(array_remove(permissions,
  'ai:command'), 'notification:read'), 'cd:write'), 'notification:write');
