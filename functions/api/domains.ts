import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './env';

/** A domain's router, imported where first needed so that a cold start does not build its schemas. */
type Load = () => Promise<OpenAPIHono<ApiEnv>>;

const auth: Load = () => import('./auth/routes').then((m) => m.authRoutes);
const ready: Load = () => import('./health/routes').then((m) => m.readyRoutes);
const users: Load = () => import('./users/routes').then((m) => m.usersRoutes);
const rbac: Load = () => import('./rbac/routes').then((m) => m.rbacRoutes);
const projects: Load = () => import('./projects/routes').then((m) => m.projectsRoutes);
const environments: Load = () => import('./environments/routes').then((m) => m.environmentsRoutes);
const installs: Load = () => import('./installs/routes').then((m) => m.installsRoutes);
const credentials: Load = () => import('./credentials/routes').then((m) => m.credentialsRoutes);
const hosts: Load = () => import('./hosts/routes').then((m) => m.hostsRoutes);
const clusters: Load = () => import('./clusters/routes').then((m) => m.clustersRoutes);
const keys: Load = () => import('./keys/routes').then((m) => m.keysRoutes);
const targets: Load = () => import('./targets/routes').then((m) => m.targetsRoutes);
const status: Load = () => import('./status/routes').then((m) => m.statusRoutes);
const services: Load = () => import('./services/routes').then((m) => m.servicesRoutes);
const releases: Load = () => import('./releases/routes').then((m) => m.releasesRoutes);
const approvals: Load = () => import('./approvals/routes').then((m) => m.approvalsRoutes);
const policy: Load = () => import('./policy/routes').then((m) => m.policyRoutes);
const audit: Load = () => import('./audit/routes').then((m) => m.auditRoutes);
const runners: Load = () => import('./runners/routes').then((m) => m.runnersRoutes);
const jobs: Load = () => import('./jobs/routes').then((m) => m.jobsRoutes);
const ci: Load = () => import('./ci/routes').then((m) => m.ciRoutes);
const ai: Load = () => import('./ai/routes').then((m) => m.aiRoutes);

/** Every domain, in one explicit list: the OpenAPI document is built from all of them. */
export const ALL_DOMAINS: readonly Load[] = [
  auth,
  ready,
  users,
  rbac,
  projects,
  environments,
  installs,
  credentials,
  hosts,
  clusters,
  keys,
  targets,
  status,
  services,
  releases,
  approvals,
  policy,
  audit,
  runners,
  jobs,
  ci,
  ai,
];

/**
 * Which domains serve the paths that start with a segment (`/api/v1/<segment>/..`). Domains that
 * share a segment (installs under /environments, policy under /projects) are served together. A
 * route whose segment is missing here is never reached: functions/api/domains.test.ts asks
 * for every documented route.
 */
export const DOMAINS_BY_SEGMENT: Readonly<Record<string, readonly Load[]>> = {
  auth: [auth],
  ready: [ready],
  me: [users],
  users: [users],
  roles: [rbac],
  'role-bindings': [rbac],
  projects: [projects, policy],
  environments: [environments, installs],
  install: [installs],
  credentials: [credentials],
  hosts: [hosts],
  clusters: [clusters],
  keys: [keys],
  deploy: [targets, status, releases],
  services: [services],
  approvals: [approvals],
  audit: [audit],
  runner: [runners],
  'runner-pools': [runners],
  runners: [runners],
  jobs: [jobs],
  ci: [ci],
  ai: [ai],
};
