import type { PGlite } from '@electric-sql/pglite';
import { Hono } from 'hono';
import type { Db } from '../functions/platform/db/types';
import { ALL_PROJECTS } from '../shared/permissions';
import { callerSql } from './me-sql';

type Row = [
  id: string,
  username: string,
  passwordHash: string,
  disabled: boolean,
  tokenEpoch: number,
  createdAt: string,
  updatedAt: string,
  bindingId: string | null,
  projectId: string | null,
  roleName: string | null,
  permissions: string[] | null,
];

/** drizzle keeps the driver it was given; the baseline talks to that same PGlite directly. */
export const pgliteOf = (db: Db) => (db as unknown as { $client: PGlite }).$client;

/** The caller's statement on the raw driver, rows as arrays (two columns are called `id`). */
export function rawCaller(db: Db, userId: string) {
  const client = pgliteOf(db);
  const { sql, params } = callerSql(db, userId);
  return async () => (await client.query<Row>(sql, params, { rowMode: 'array' })).rows;
}

/**
 * The floor for /me: the same statement on the raw driver, the answer assembled by hand, no auth,
 * no validation, no middleware.
 */
export function bareMeApp(db: Db, userId: string) {
  const caller = rawCaller(db, userId);
  const app = new Hono();
  app.get('/me', async (c) => {
    const rows = await caller();
    const first = rows[0];
    if (!first) return c.json({ error: 'no such user' }, 404);
    const [id, username, , disabled, , createdAt, updatedAt] = first;
    const roles: { role: string; project_id: string | null; binding_id: string }[] = [];
    const byDomain = new Map<string, Set<string>>();
    for (const [, , , , , , , bindingId, projectId, roleName, permissions] of rows) {
      if (!bindingId || !roleName || !permissions) continue;
      roles.push({ role: roleName, project_id: projectId, binding_id: bindingId });
      const domain = projectId ?? ALL_PROJECTS;
      const set = byDomain.get(domain) ?? new Set<string>();
      for (const p of permissions) set.add(p);
      byDomain.set(domain, set);
    }
    return c.json({
      user: {
        id,
        username,
        disabled,
        // The instance hands drizzle's timestamp types over as text (functions/platform/db/pglite.ts):
        // parsed here as drizzle parses them.
        created_at: new Date(createdAt).toISOString(),
        updated_at: new Date(updatedAt).toISOString(),
      },
      roles,
      permissions: [...byDomain].map(([d, s]) => ({
        project_id: d === ALL_PROJECTS ? null : d,
        permissions: [...s].sort(),
      })),
    });
  });
  return app;
}
