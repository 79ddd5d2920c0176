import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../../shared/permissions';
import { Authorizer } from './enforcer';

type Rows = Parameters<Authorizer['fromRows']>[1];
const row = (roleName: keyof typeof BUILTIN_ROLES, projectId: string | null, bindingId = 'rb_1') =>
  ({ roleName, projectId, bindingId, permissions: [...BUILTIN_ROLES[roleName]] }) as Rows[number];

describe('Authorizer: enforcers and answers kept by what they were built from', () => {
  const auth = new Authorizer();

  it('answers from the rows it is given, the same rows asked twice alike', async () => {
    const rows = [row('deployer', 'prj_a')];
    for (let i = 0; i < 2; i++) {
      const g = auth.fromRows('usr_1', rows);
      expect(await g.can('deploy:release:apply', 'prj_a')).toBe(true);
      expect(await g.can('deploy:release:apply', 'prj_b')).toBe(false);
      expect(await g.can('rbac:admin', 'prj_a')).toBe(false);
    }
  });

  it('a changed grant is never answered from what was kept for the old one', async () => {
    expect(await auth.fromRows('usr_2', [row('admin', null)]).can('rbac:admin', null)).toBe(true);
    // The same user after the admin binding went and a viewer one came.
    const after = auth.fromRows('usr_2', [row('viewer', 'prj_a', 'rb_2')]);
    expect(await after.can('rbac:admin', null)).toBe(false);
    expect(await after.can('deploy:release:apply', 'prj_a')).toBe(false);
    // A role whose permissions changed is a different key too.
    const narrowed = { ...row('deployer', 'prj_a'), permissions: [] } as Rows[number];
    expect(await auth.fromRows('usr_1', [narrowed]).can('deploy:release:apply', 'prj_a')).toBe(false);
    // Another user with the first user's rows gets nothing of theirs.
    expect(await auth.fromRows('usr_3', []).can('deploy:release:apply', 'prj_a')).toBe(false);
  });
});
