import { eq } from 'drizzle-orm';
import { projectPolicies } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export async function findPolicy(db: Db, projectId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await db.select().from(projectPolicies).where(eq(projectPolicies.projectId, projectId));
  return row?.policy;
}

export async function upsertPolicy(db: Db, projectId: string, policy: Record<string, unknown>, now: Date) {
  await db
    .insert(projectPolicies)
    .values({ projectId, policy, updatedAt: now })
    .onConflictDoUpdate({ target: projectPolicies.projectId, set: { policy, updatedAt: now } });
}
