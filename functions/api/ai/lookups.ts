import { and, asc, type Column, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Tier } from '../../../shared/contracts/projects';
import type { Permission } from '../../../shared/permissions';
import {
  approvalTickets,
  deployTargets,
  environments,
  projects,
  releases,
  services,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects } from '../../platform/db/visible';
import type { KeyProvider } from '../../platform/keys/types';
import type { Grants } from '../rbac/enforcer';
import { explainRelease } from './explain';
import type { AiLookups } from './interpret';

/** How many rows one lookup answers: enough to list choices, never a whole table. */
const LIMIT = 50;

/** Words people use for a tier; an environment's own name always wins over these. */
const TIER_WORDS: Record<string, Tier> = {
  dev: 'development',
  develop: 'development',
  development: 'development',
  test: 'staging',
  stage: 'staging',
  staging: 'staging',
  preprod: 'staging',
  prod: 'production',
  production: 'production',
  live: 'production',
};

export const tierOf = (word: string): Tier | undefined => TIER_WORDS[word.toLowerCase()];

const sameName = (column: Column, name: string) => sql`lower(${column}) = ${name.toLowerCase()}`;

/**
 * The read-only lookups of SPEC §7.3, each narrowed to the projects where the caller holds the
 * read permission of what it answers; names, ids and states only.
 */
export function lookupsFor(
  db: Db,
  keys: KeyProvider,
  grants: Grants,
): AiLookups & {
  findProjects(name: string): Promise<{ id: string; name: string }[]>;
  findProjectById(id: string): Promise<{ id: string; name: string }[]>;
  runtimesOf(serviceId: string): Promise<('k8s' | 'compose')[]>;
} {
  const visible = (p: Permission) => grants.projectsWith(p);

  async function runtimesOf(serviceId: string) {
    const [s] = await db
      .select({ k8s: services.k8sManifest, compose: services.composeFile })
      .from(services)
      .where(eq(services.id, serviceId));
    if (!s) return [];
    return [...(s.compose ? (['compose'] as const) : []), ...(s.k8s ? (['k8s'] as const) : [])];
  }

  return {
    runtimesOf,
    async findProjects(name) {
      return db
        .select({ id: projects.id, name: projects.name })
        .from(projects)
        .where(
          and(
            isNull(projects.deletedAt),
            sameName(projects.name, name),
            inVisibleProjects(projects.id, await visible('project:read')),
          ),
        )
        .limit(LIMIT);
    },
    async findProjectById(id) {
      return db
        .select({ id: projects.id, name: projects.name })
        .from(projects)
        .where(and(eq(projects.id, id), inVisibleProjects(projects.id, await visible('project:read'))));
    },
    async findServices(q) {
      return db
        .select({ id: services.id, name: services.name, project_id: services.projectId })
        .from(services)
        .where(
          and(
            isNull(services.deletedAt),
            q.name ? sameName(services.name, q.name) : undefined,
            q.project_id ? eq(services.projectId, q.project_id) : undefined,
            inVisibleProjects(services.projectId, await visible('service:read')),
          ),
        )
        .orderBy(asc(services.id))
        .limit(LIMIT);
    },
    async findEnvironments(q) {
      const read = async (match: SQL | undefined) =>
        db
          .select({
            id: environments.id,
            name: environments.name,
            tier: environments.tier,
            project_id: environments.projectId,
          })
          .from(environments)
          .where(
            and(
              isNull(environments.deletedAt),
              match,
              q.project_id ? eq(environments.projectId, q.project_id) : undefined,
              inVisibleProjects(environments.projectId, await visible('environment:read')),
            ),
          )
          .orderBy(asc(environments.id))
          .limit(LIMIT);
      if (!q.name) return read(undefined);
      const byName = await read(sameName(environments.name, q.name));
      if (byName.length) return byName;
      const tier = tierOf(q.name);
      return tier ? read(eq(environments.tier, tier)) : [];
    },
    async findTargets(q) {
      const runtimes = q.service_id ? await runtimesOf(q.service_id) : undefined;
      const rows = await db
        .select({
          id: deployTargets.id,
          name: deployTargets.name,
          runtime: deployTargets.runtimeType,
          environment_id: deployTargets.environmentId,
        })
        .from(deployTargets)
        .where(
          and(
            isNull(deployTargets.deletedAt),
            q.environment_id ? eq(deployTargets.environmentId, q.environment_id) : undefined,
            inVisibleProjects(deployTargets.projectId, await visible('target:read')),
          ),
        )
        .orderBy(asc(deployTargets.id))
        .limit(LIMIT);
      // A service deploys only where it has a template for the runtime.
      return runtimes ? rows.filter((t) => runtimes.includes(t.runtime)) : rows;
    },
    async listTickets(q) {
      const rows = await db
        .select()
        .from(approvalTickets)
        .where(
          and(
            q.project_id ? eq(approvalTickets.projectId, q.project_id) : undefined,
            q.status ? eq(approvalTickets.status, q.status) : undefined,
            inVisibleProjects(approvalTickets.projectId, await visible('deploy:approval:read')),
          ),
        )
        .orderBy(desc(approvalTickets.id))
        .limit(LIMIT);
      return ticketSubjects(db, rows);
    },
    readRelease: (id) => explainRelease(db, keys, grants, id),
  };
}

/** Each ticket with the service and environment names of what it approves. */
async function ticketSubjects(db: Db, rows: (typeof approvalTickets.$inferSelect)[]) {
  const out = [];
  for (const t of rows) {
    const [names] =
      t.resourceType === 'release'
        ? await db
            .select({ service: services.name, environment: environments.name })
            .from(releases)
            .innerJoin(services, eq(services.id, releases.serviceId))
            .innerJoin(environments, eq(environments.id, releases.environmentId))
            .where(eq(releases.id, t.resourceId))
        : [];
    out.push({
      id: t.id,
      release_id: t.resourceType === 'release' ? t.resourceId : null,
      kind: t.kind,
      risk_level: t.riskLevel,
      service: names?.service ?? null,
      environment: names?.environment ?? null,
      status: t.status,
      expires_at: t.expiresAt.toISOString(),
    });
  }
  return out;
}
