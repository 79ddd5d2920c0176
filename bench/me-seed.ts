import { findRoleByName, insertBinding } from '../functions/api/rbac/repo';
import { insertUser } from '../functions/api/users/repo';
import { projects } from '../functions/platform/db/schema';
import type { Db } from '../functions/platform/db/types';
import { newId } from '../functions/platform/ids';

/** Enough other users that lookups go through indexes, not a table of one row. */
export const OTHER_USERS = 200;
export const PROJECTS = 5;

/** The caller: deployer in three projects and viewer everywhere, a typical non-admin. */
export async function seed(db: Db, now: Date) {
  const projectIds: string[] = [];
  for (let i = 0; i < PROJECTS; i++) {
    const id = newId('prj');
    await db.insert(projects).values({ id, name: `bench-${i}`, createdAt: now });
    projectIds.push(id);
  }
  const role = async (name: string) => (await findRoleByName(db, name))!.id;
  const [deployer, viewer] = [await role('deployer'), await role('viewer')];
  const bind = (userId: string, roleId: string, projectId: string | null) =>
    insertBinding(db, { id: newId('rb'), userId, roleId, projectId, createdAt: now });
  const user = async (username: string) => {
    const id = newId('usr');
    // No real hash: nobody logs in as these users, and hashing 200 passwords would dominate setup.
    await insertUser(db, {
      id,
      username,
      passwordHash: 'x',
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  };
  for (let i = 0; i < OTHER_USERS; i++)
    await bind(await user(`other-${i}`), i % 2 ? deployer : viewer, projectIds[i % PROJECTS]!);
  const callerId = await user('bench-caller');
  for (const p of projectIds.slice(0, 3)) await bind(callerId, deployer, p);
  await bind(callerId, viewer, null);
  return callerId;
}
