import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import { hashPassword } from '../auth/password';
import type { Deps } from '../deps';
import { findRoleByName, insertBinding } from '../rbac/repo';
import { seedBuiltinRoles } from '../rbac/service';
import { countUsers, insertUser } from './repo';

export type BootstrapResult =
  | { created: false }
  | { created: true; username: string; passwordFile: string | null };

export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

/**
 * First start: the built-in roles, then the first admin if there are no users at all. The
 * password is the one given in K8SM_BOOTSTRAP_ADMIN or a generated one written to a 0600 file;
 * it is never printed or logged.
 */
export async function bootstrap(deps: Pick<Deps, 'database' | 'clock' | 'config'>): Promise<BootstrapResult> {
  const { db } = deps.database;
  await seedBuiltinRoles(db, deps.clock);
  if ((await countUsers(db)) > 0) return { created: false };

  const given = deps.config.bootstrapAdmin;
  const username = given?.username ?? 'admin';
  const password = given?.password ?? randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  const passwordFile = given ? null : join(deps.config.dataDir, INITIAL_PASSWORD_FILE);
  const created = await db.transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) return false;
    const role = await findRoleByName(tx, 'admin');
    if (!role) throw new Error('the admin role is missing');
    const now = deps.clock.now();
    const id = newId('usr');
    await insertUser(tx, { id, username, passwordHash, disabled: false, createdAt: now, updatedAt: now });
    await insertBinding(tx, {
      id: newId('rb'),
      userId: id,
      roleId: role.id,
      projectId: null,
      createdAt: now,
    });
    await recordEvent(tx, deps.clock, {
      action: 'user.created',
      resourceType: 'user',
      resourceId: id,
      actor: { userId: null, source: 'system' },
      detail: { username, bootstrap: true, role: 'admin' },
    });
    // Written before the commit: an admin must never exist whose password nobody can read.
    if (passwordFile) {
      await mkdir(deps.config.dataDir, { recursive: true, mode: 0o700 });
      await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
      await chmod(passwordFile, 0o600);
    }
    return true;
  });
  return created ? { created: true, username, passwordFile } : { created: false };
}
