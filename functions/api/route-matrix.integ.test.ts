import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateSealingKeyPair } from '../../shared/crypto/sealed-box';
import { BUILTIN_ROLES, type BuiltinRole, type Permission } from '../../shared/permissions';
import { backends } from '../../test/support/databases';
import { composeVars, governanceFixture } from '../../test/support/governance';
import { TEST_MANIFEST } from '../../test/support/installs';
import { createTestPlatform, type Req, type TestPlatform } from '../../test/support/platform';
import { aiCommands, ciBuilds, clusters, credentials } from '../platform/db/schema';
import { newId } from '../platform/ids';
import { createPipeline } from './ci/pipelines';
import { importCluster } from './clusters/service';
import { createCredential } from './credentials/service';
import { createEnvironment } from './environments/service';
import { createHost } from './hosts/service';
import { upsertFingerprint } from './installs/repo';
import { jobsOfResource } from './jobs/repo';
import { claimJob, completeJob } from './jobs/service';
import { createProject } from './projects/service';
import { createBinding } from './rbac/service';
import { createPool, createRegistrationToken, registerRunner } from './runners/service';
import { createService } from './services/service';
import { createTarget } from './targets/service';
import { createUser } from './users/service';

/**
 * What every route needs, written out independently of the route definitions (SPEC §4). A route
 * whose declaration drifts from this table, or a route missing from it, fails here.
 */
const EXPECTED: Record<string, Permission[]> = {
  createUser: ['rbac:admin'],
  listUsers: ['rbac:admin'],
  getUser: ['rbac:admin'],
  patchUser: ['rbac:admin'],
  getMe: [],
  changeMyPassword: [],
  createRole: ['rbac:admin'],
  listRoles: ['rbac:admin'],
  getRole: ['rbac:admin'],
  patchRole: ['rbac:admin'],
  createRoleBinding: ['rbac:admin'],
  listRoleBindings: ['rbac:admin'],
  deleteRoleBinding: ['rbac:admin'],
  getRoleBinding: ['rbac:admin'],
  getAuditEvent: ['audit:read'],
  createProject: ['project:write'],
  listProjects: ['project:read'],
  getProject: ['project:read'],
  patchProject: ['project:write'],
  deleteProject: ['project:write'],
  createEnvironment: ['environment:write'],
  listEnvironments: ['environment:read'],
  getEnvironment: ['environment:read'],
  patchEnvironment: ['environment:write'],
  deleteEnvironment: ['environment:write'],
  listAuditEvents: ['audit:read'],
  createTarget: ['target:write'],
  listTargets: ['target:read'],
  getTarget: ['target:read'],
  patchTarget: ['target:write'],
  deleteTarget: ['target:write'],
  getTargetStatus: ['target:read'],
  refreshTargetStatus: ['target:write'],
  listTargetStatuses: ['target:read'],
  createService: ['service:write'],
  listServices: ['service:read'],
  getService: ['service:read'],
  getServiceVariables: ['service:read'],
  patchService: ['service:write'],
  deleteService: ['service:write'],
  previewRelease: ['deploy:release:apply'],
  applyRelease: [],
  listReleases: ['deploy:release:read'],
  getRelease: ['deploy:release:read'],
  getReleaseTimeline: ['deploy:release:read'],
  getReleaseRevision: ['deploy:release:read'],
  getReleaseSteps: ['deploy:release:read'],
  previewRollback: ['deploy:release:rollback'],
  cancelRelease: [],
  listInbox: ['deploy:approval:read'],
  getTicket: ['deploy:approval:read'],
  decideTicket: ['deploy:release:approve', 'deploy:approval:review'],
  decideTickets: ['deploy:release:approve', 'deploy:approval:review'],
  getProjectPolicy: ['project:read'],
  putProjectPolicy: ['policy:write'],
  verifyAudit: ['audit:read'],
  createCredential: ['credential:import'],
  listCredentials: ['credential:read_meta'],
  getCredential: ['credential:read_meta'],
  rotateCredential: ['credential:import'],
  deleteCredential: ['credential:import'],
  revealCredential: ['credential:reveal'],
  createHost: ['host:write'],
  listHosts: ['host:read'],
  getHost: ['host:read'],
  patchHost: ['host:write'],
  deleteHost: ['host:write'],
  resetHostKey: ['host:write'],
  testHostConnection: ['credential:test'],
  importCluster: ['cluster:write', 'credential:import'],
  listClusters: ['cluster:read'],
  getCluster: ['cluster:read'],
  patchCluster: ['cluster:write'],
  deleteCluster: ['cluster:write'],
  testClusterConnection: ['credential:test'],
  rotateKeys: ['rbac:admin'],
  createRunnerPool: ['runner:admin'],
  listRunnerPools: ['runner:read'],
  getRunnerPool: ['runner:read'],
  listJobs: ['runner:read'],
  getJob: ['runner:read'],
  patchRunnerPool: ['runner:admin'],
  deleteRunnerPool: ['runner:admin'],
  createRegistrationToken: ['runner:admin'],
  listRunners: ['runner:read'],
  getRunner: ['runner:read'],
  revokeRunner: ['runner:admin'],
  rotateRunnerToken: ['runner:admin'],
  installEnvironment: ['environment:install'],
  uninstallEnvironment: ['environment:install'],
  listInstallTasks: ['environment:read'],
  getInstallTask: ['environment:read'],
  getInstallTaskLogs: ['environment:read'],
  retryInstallTask: ['environment:install'],
  rollbackInstallTask: ['environment:install'],
  cancelInstallTask: [],
  listInstallBundles: ['environment:read'],
  // SPEC §7.0: install verify is environment:install, asking and reading alike.
  verifyEnvironmentInstall: ['environment:install'],
  getInstallDrift: ['environment:install'],
  createPipeline: ['ci:write'],
  listPipelines: ['ci:read'],
  getPipeline: ['ci:read'],
  patchPipeline: ['ci:write'],
  deletePipeline: ['ci:write'],
  rotatePipelineSecret: ['ci:write'],
  listBuilds: ['ci:read'],
  getBuild: ['ci:read'],
  createAiCommand: ['ai:command'],
  listAiCommands: ['ai:command'],
  getAiCommand: ['ai:command'],
  answerAiCommand: ['ai:command'],
  confirmAiCommand: ['ai:command'],
};

/**
 * Permissions a route adds from the resource it touches (the runtime of the target), beyond its
 * declaration. The fixtures below use compose targets. Apply declares none: it needs the apply or
 * the rollback permissions depending on what its preview prepared.
 */
const FROM_RESOURCE: Record<string, Permission[]> = {
  previewRelease: ['deploy:compose:apply'],
  applyRelease: ['deploy:release:apply', 'deploy:compose:apply'],
  getRelease: ['deploy:compose:read'],
  getReleaseTimeline: ['deploy:compose:read'],
  getServiceVariables: ['target:read'],
  getReleaseRevision: ['deploy:compose:read'],
  getReleaseSteps: ['deploy:compose:read'],
  // A release job is shown where its runtime may be read.
  getJob: ['deploy:compose:read'],
  previewRollback: ['deploy:compose:rollback'],
  // Its requester may too; the fixtures' releases and tasks are the root admin's, not the role's.
  cancelRelease: ['deploy:release:apply', 'deploy:compose:apply'],
  cancelInstallTask: ['environment:install'],
  // Confirming applies the command's preview: the apply permissions of its runtime.
  confirmAiCommand: ['deploy:release:apply', 'deploy:compose:apply'],
};

/** Success statuses other than the method's usual one. */
const SUCCESS: Record<string, number> = {
  changeMyPassword: 422,
  applyRelease: 202,
  decideTicket: 200,
  decideTickets: 200,
  rotateCredential: 200,
  revealCredential: 202,
  resetHostKey: 200,
  testHostConnection: 202,
  testClusterConnection: 202,
  refreshTargetStatus: 202,
  rotateKeys: 200,
  revokeRunner: 200,
  rotateRunnerToken: 200,
  installEnvironment: 202,
  uninstallEnvironment: 202,
  retryInstallTask: 202,
  rollbackInstallTask: 202,
  verifyEnvironmentInstall: 202,
  cancelRelease: 200,
  cancelInstallTask: 200,
  rotatePipelineSecret: 200,
  answerAiCommand: 200,
  confirmAiCommand: 200,
};

/** Anyone may call these; refresh and logout act on the session cookie (auth/sessions.integ.test.ts). */
const PUBLIC = ['getHealth', 'getReady', 'login', 'refreshSession', 'logout'];
/** The runner protocol: runner tokens, no user permissions (its own tests: runners/runners.integ.test.ts). */
const RUNNER_PROTOCOL = ['registerRunner', 'claimJob', 'heartbeatJob', 'reportJobStep', 'completeJob'];
/** Authenticated by the provider's signature, not a token (its own tests: ci/ci.integ.test.ts). */
const SIGNED = ['receiveCiWebhook'];

type Fixture = {
  projectId: string;
  envId: string;
  n: () => number;
  p: TestPlatform;
  gov: Awaited<ReturnType<typeof governanceFixture>>;
};
type Call = { method: string; path: string } & Req;

/** A compose preview by the admin on a fresh target of the given environment. */
async function adminPreview(f: Fixture, env: 'dev' | 'prod') {
  const admin = f.gov.admin;
  const hostIds = (await f.p.request('GET', `/deploy/targets/${f.gov.targets.devCompose}`, { token: admin }))
    .json.host_ids;
  const target = await f.p.request('POST', '/deploy/targets', {
    token: admin,
    body: {
      project_id: f.gov.project,
      environment_id: f.gov.envs[env],
      name: `t-${f.n()}`,
      runtime_type: 'compose',
      host_ids: hostIds,
      compose_project: 'web',
    },
  });
  const pv = await f.p.request('POST', '/deploy/releases/preview', {
    token: admin,
    body: { service_id: f.gov.serviceId, target_id: target.json.id, variables: composeVars(`m${f.n()}`) },
  });
  return { target: target.json.id as string, release: pv.json };
}

/** Lands a release through the jobs module, playing the runner. */
async function land(f: Fixture, previewRef: string, releaseId: string) {
  await f.p.request('POST', '/deploy/releases/apply', {
    token: f.gov.admin,
    body: { preview_ref: previewRef },
  });
  const db = f.p.deps.database.db;
  // Apply requests of other cases leave jobs queued in the pool: settle those on the way.
  for (let i = 0; i < 100; i++) {
    const lease = await claimJob(db, f.p.clock, {
      runnerPoolId: f.gov.pool,
      runnerId: 'run_m',
      leaseSeconds: 60,
      kinds: f.p.deps.jobKinds,
    });
    if (!lease) throw new Error(`no job for ${releaseId}`);
    const mine = lease.job.resourceId === releaseId;
    const status = mine ? 'succeeded' : 'failed';
    await completeJob(db, f.p.clock, lease, { status }, f.p.deps.jobKinds);
    if (mine) return;
  }
  throw new Error('too many queued jobs');
}

/** A release that runs on its target with an earlier one before it: something to roll back. */
async function landedTwice(f: Fixture) {
  const first = await adminPreview(f, 'dev');
  await land(f, first.release.preview_ref, first.release.id);
  const again = await f.p.request('POST', '/deploy/releases/preview', {
    token: f.gov.admin,
    body: { service_id: f.gov.serviceId, target_id: first.target, variables: composeVars(`m${f.n()}`) },
  });
  await land(f, again.json.preview_ref, again.json.id);
  return again.json.id as string;
}

/** The queued job of a compose release the admin applied in development. */
async function queuedReleaseJob(f: Fixture) {
  const { release } = await adminPreview(f, 'dev');
  await f.p.request('POST', '/deploy/releases/apply', {
    token: f.gov.admin,
    body: { preview_ref: release.preview_ref },
  });
  const [job] = await jobsOfResource(f.p.deps.database.db, 'release', release.id);
  if (!job) throw new Error(`no job for ${release.id}`);
  return job.id;
}

/** A pending production ticket requested by the root admin (never one of the callers). */
async function pendingTicket(f: Fixture) {
  const { release } = await adminPreview(f, 'prod');
  const ap = await f.p.request('POST', '/deploy/releases/apply', {
    token: f.gov.admin,
    body: { preview_ref: release.preview_ref },
  });
  return ap.json.approval_ticket as string;
}

/** An install task of the development environment on a fresh host, asked for by the root admin. */
async function adminInstall(f: Fixture) {
  const host = (await newHost(f, f.gov.pool)).id;
  const res = await f.p.request('POST', `/environments/${f.gov.envs.dev}/install`, {
    token: f.gov.admin,
    body: { runtime: 'compose', version: '24.0.5-test', host_ids: [host] },
  });
  return { task: res.json.id as string, host };
}

/** A failed install task (its job failed through the jobs module): something to retry or roll back. */
async function failedInstall(f: Fixture) {
  const { task } = await adminInstall(f);
  const db = f.p.deps.database.db;
  for (let i = 0; i < 100; i++) {
    const lease = await claimJob(db, f.p.clock, {
      runnerPoolId: f.gov.pool,
      runnerId: 'run_m',
      leaseSeconds: 60,
      kinds: f.p.deps.jobKinds,
    });
    if (!lease) throw new Error(`no job for ${task}`);
    await completeJob(db, f.p.clock, lease, { status: 'failed' }, f.p.deps.jobKinds);
    if (lease.job.resourceId === task) return task;
  }
  throw new Error('too many queued jobs');
}
/** A fresh host of the development environment with a stored fingerprint: something to verify. */
async function installedHost(f: Fixture) {
  const { task, host } = await adminInstall(f);
  const db = f.p.deps.database.db;
  const [job] = await jobsOfResource(db, 'install_task', task);
  await upsertFingerprint(db, {
    environmentId: f.gov.envs.dev,
    hostId: host,
    projectId: f.gov.project,
    runtime: 'compose',
    version: '24.0.5-test',
    prefix: '/',
    files: { 'usr/local/bin/dockerd': 'a'.repeat(64) },
    taskId: task,
    jobId: job!.id,
    recordedAt: f.p.clock.now(),
  });
  return host;
}
const installPath = (f: Fixture, rest = '') => `/environments/${f.gov.envs.dev}${rest}`;

/** A valid request for each operation; fresh resources where the call consumes one. */
/** `caller`: the token the request is made with, for resources that must be the caller's own. */
const REQUESTS: Record<string, (f: Fixture, caller: string) => Promise<Call> | Call> = {
  installEnvironment: async (f) => ({
    method: 'POST',
    path: installPath(f, '/install'),
    body: { runtime: 'compose', version: '24.0.5-test', host_ids: [(await newHost(f, f.gov.pool)).id] },
  }),
  uninstallEnvironment: async (f) => ({
    method: 'POST',
    path: installPath(f, '/uninstall'),
    body: { host_ids: [(await newHost(f, f.gov.pool)).id], runtime: 'compose', version: '24.0.5-test' },
  }),
  listInstallTasks: (f) => ({ method: 'GET', path: installPath(f, '/install/tasks') }),
  listInstallBundles: () => ({ method: 'GET', path: '/install/bundles' }),
  getInstallTask: async (f) => ({
    method: 'GET',
    path: installPath(f, `/install/tasks/${(await adminInstall(f)).task}`),
  }),
  getInstallTaskLogs: async (f) => ({
    method: 'GET',
    path: installPath(f, `/install/tasks/${(await adminInstall(f)).task}/logs`),
  }),
  retryInstallTask: async (f) => ({
    method: 'POST',
    path: installPath(f, `/install/tasks/${await failedInstall(f)}/retry`),
  }),
  rollbackInstallTask: async (f) => ({
    method: 'POST',
    path: installPath(f, `/install/tasks/${await failedInstall(f)}/rollback`),
  }),
  cancelInstallTask: async (f) => ({
    method: 'POST',
    path: installPath(f, `/install/tasks/${(await adminInstall(f)).task}/cancel`),
  }),
  verifyEnvironmentInstall: async (f) => {
    await installedHost(f);
    return { method: 'POST', path: installPath(f, '/install/verify') };
  },
  getInstallDrift: async (f) => {
    await installedHost(f);
    const r = await f.p.request('POST', installPath(f, '/install/verify'), { token: f.gov.admin });
    return { method: 'GET', path: installPath(f, `/install/verify/${r.json.job_id}`) };
  },
  previewRelease: (f) => ({
    method: 'POST',
    path: '/deploy/releases/preview',
    body: {
      service_id: f.gov.serviceId,
      target_id: f.gov.targets.devCompose,
      variables: composeVars(`m${f.n()}`),
    },
  }),
  applyRelease: async (f) => ({
    method: 'POST',
    path: '/deploy/releases/apply',
    body: { preview_ref: (await adminPreview(f, 'dev')).release.preview_ref },
  }),
  listReleases: (f) => ({ method: 'GET', path: `/deploy/releases?project_id=${f.gov.project}` }),
  getRelease: async (f) => ({
    method: 'GET',
    path: `/deploy/releases/${(await adminPreview(f, 'dev')).release.id}`,
  }),
  getReleaseTimeline: async (f) => ({
    method: 'GET',
    path: `/deploy/releases/${(await adminPreview(f, 'dev')).release.id}/timeline`,
  }),
  getReleaseRevision: async (f) => ({
    method: 'GET',
    path: `/deploy/releases/${(await adminPreview(f, 'dev')).release.id}/revision`,
  }),
  getReleaseSteps: async (f) => ({
    method: 'GET',
    path: `/deploy/releases/${(await adminPreview(f, 'dev')).release.id}/steps`,
  }),
  previewRollback: async (f) => ({
    method: 'POST',
    path: `/deploy/releases/${await landedTwice(f)}/rollback/preview`,
  }),
  cancelRelease: async (f) => {
    const ticket = await pendingTicket(f);
    const t = await f.p.request('GET', `/approvals/inbox/${ticket}`, { token: f.gov.admin });
    return { method: 'POST', path: `/deploy/releases/${t.json.resource_id}/cancel` };
  },
  listInbox: () => ({ method: 'GET', path: '/approvals/inbox' }),
  getTicket: async (f) => ({ method: 'GET', path: `/approvals/inbox/${await pendingTicket(f)}` }),
  decideTicket: async (f) => ({
    method: 'POST',
    path: `/approvals/inbox/${await pendingTicket(f)}/decision`,
    body: { decision: 'reject', comment: 'matrix' },
  }),
  decideTickets: async (f) => ({
    method: 'POST',
    path: '/approvals/inbox/batch-decision',
    body: { ticket_ids: [await pendingTicket(f)], decision: 'reject' },
  }),
  getProjectPolicy: (f) => ({ method: 'GET', path: `/projects/${f.gov.project}/policy` }),
  putProjectPolicy: (f) => ({
    method: 'PUT',
    path: `/projects/${f.gov.project}/policy`,
    body: { preview_ttl_seconds: 900 },
  }),
  verifyAudit: () => ({ method: 'GET', path: '/audit/verify' }),
  createCredential: (f) => ({
    method: 'POST',
    path: '/credentials',
    body: {
      project_id: f.projectId,
      name: `cred-${f.n()}`,
      kind: 'token',
      payload: { token: 'matrix-token-0123456789' },
    },
  }),
  listCredentials: (f) => ({ method: 'GET', path: `/credentials?project_id=${f.projectId}` }),
  getCredential: async (f) => ({ method: 'GET', path: `/credentials/${(await newCredential(f)).id}` }),
  rotateCredential: async (f) => ({
    method: 'POST',
    path: `/credentials/${(await newCredential(f)).id}/rotate`,
    body: { payload: { password: 'another matrix password' } },
  }),
  deleteCredential: async (f) => ({ method: 'DELETE', path: `/credentials/${(await newCredential(f)).id}` }),
  revealCredential: async (f) => ({
    method: 'POST',
    path: `/credentials/${(await newCredential(f)).id}/reveal`,
    body: {},
  }),
  createHost: async (f) => ({
    method: 'POST',
    path: '/hosts',
    body: {
      project_id: f.projectId,
      name: `host-${f.n()}`,
      address: '10.0.0.5',
      username: 'deploy',
      credential_id: (await newCredential(f)).id,
    },
  }),
  listHosts: (f) => ({ method: 'GET', path: `/hosts?project_id=${f.projectId}` }),
  getHost: async (f) => ({ method: 'GET', path: `/hosts/${(await newHost(f)).id}` }),
  patchHost: async (f) => ({
    method: 'PATCH',
    path: `/hosts/${(await newHost(f)).id}`,
    body: { port: 2222 },
  }),
  deleteHost: async (f) => ({ method: 'DELETE', path: `/hosts/${(await newHost(f)).id}` }),
  resetHostKey: async (f) => ({ method: 'POST', path: `/hosts/${(await newHost(f)).id}/host-key/reset` }),
  testHostConnection: async (f) => ({
    method: 'POST',
    path: `/hosts/${(await newHost(f, f.gov.pool)).id}/test-connection`,
  }),
  importCluster: (f) => ({ method: 'POST', path: '/clusters/import', body: matrixCluster(f) }),
  listClusters: (f) => ({ method: 'GET', path: `/clusters?project_id=${f.projectId}` }),
  getCluster: async (f) => ({ method: 'GET', path: `/clusters/${(await newCluster(f)).id}` }),
  patchCluster: async (f) => ({
    method: 'PATCH',
    path: `/clusters/${(await newCluster(f)).id}`,
    body: { name: `renamed-${f.n()}` },
  }),
  deleteCluster: async (f) => ({ method: 'DELETE', path: `/clusters/${(await newCluster(f)).id}` }),
  testClusterConnection: async (f) => ({
    method: 'POST',
    path: `/clusters/${(await newCluster(f, f.gov.pool)).id}/test-connection`,
  }),
  createRunnerPool: (f) => ({
    method: 'POST',
    path: '/runner-pools',
    body: { name: `pool-${f.n()}`, project_id: f.gov.project },
  }),
  listRunnerPools: (f) => ({ method: 'GET', path: `/runner-pools?project_id=${f.gov.project}` }),
  createRegistrationToken: (f) => ({
    method: 'POST',
    path: `/runner-pools/${f.gov.pool}/registration-tokens`,
    body: {},
  }),
  getRunnerPool: (f) => ({ method: 'GET', path: `/runner-pools/${f.gov.pool}` }),
  listJobs: (f) => ({ method: 'GET', path: `/jobs?project_id=${f.gov.project}` }),
  getJob: async (f) => ({ method: 'GET', path: `/jobs/${await queuedReleaseJob(f)}` }),
  patchRunnerPool: async (f) => ({
    method: 'PATCH',
    path: `/runner-pools/${await newPool(f)}`,
    body: { name: `renamed-${f.n()}` },
  }),
  deleteRunnerPool: async (f) => ({ method: 'DELETE', path: `/runner-pools/${await newPool(f)}` }),
  listRunners: (f) => ({ method: 'GET', path: `/runners?runner_pool_id=${f.gov.pool}` }),
  getRunner: async (f) => ({ method: 'GET', path: `/runners/${await newRunner(f)}` }),
  revokeRunner: async (f) => ({ method: 'POST', path: `/runners/${await newRunner(f)}/revoke` }),
  rotateRunnerToken: async (f) => ({ method: 'POST', path: `/runners/${await newRunner(f)}/rotate-token` }),
  rotateKeys: () => ({ method: 'POST', path: '/keys/rotate' }),
  createUser: (f) => ({
    method: 'POST',
    path: '/users',
    body: { username: `made-${f.n()}`, password: 'another long password' },
  }),
  listUsers: () => ({ method: 'GET', path: '/users' }),
  getUser: async (f) => ({ method: 'GET', path: `/users/${(await newUser(f)).id}` }),
  patchUser: async (f) => ({
    method: 'PATCH',
    path: `/users/${(await newUser(f)).id}`,
    body: { disabled: true },
  }),
  getMe: () => ({ method: 'GET', path: '/me' }),
  changeMyPassword: () => ({
    method: 'POST',
    path: '/me/password',
    body: { current_password: 'wrong', new_password: 'a new long password' },
  }),
  createRole: (f) => ({
    method: 'POST',
    path: '/roles',
    body: { name: `role-${f.n()}`, permissions: ['project:read'] },
  }),
  listRoles: () => ({ method: 'GET', path: '/roles' }),
  getRole: async (f) => ({ method: 'GET', path: `/roles/${await roleId(f, 'viewer')}` }),
  patchRole: async (f) => ({
    method: 'PATCH',
    path: `/roles/${await roleId(f, 'viewer')}`,
    body: { permissions: BUILTIN_ROLES.viewer },
  }),
  createRoleBinding: async (f) => ({
    method: 'POST',
    path: '/role-bindings',
    body: { username: (await newUser(f)).username, role: 'viewer', project_id: f.projectId },
  }),
  listRoleBindings: () => ({ method: 'GET', path: '/role-bindings' }),
  getRoleBinding: async (f) => {
    const u = await newUser(f);
    const b = await createBinding({ username: u.username, role: 'viewer', project_id: f.projectId }, sys(f));
    return { method: 'GET', path: `/role-bindings/${b.id}` };
  },
  getAuditEvent: async (f) => {
    const events = await f.p.request('GET', `/audit/events?project_id=${f.projectId}&limit=1`, {
      token: await f.p.adminToken(),
    });
    return { method: 'GET', path: `/audit/events/${events.json.items[0].id}` };
  },
  deleteRoleBinding: async (f) => {
    const u = await newUser(f);
    const b = await createBinding({ username: u.username, role: 'viewer', project_id: f.projectId }, sys(f));
    return { method: 'DELETE', path: `/role-bindings/${b.id}` };
  },
  createProject: (f) => ({ method: 'POST', path: '/projects', body: { name: `proj-${f.n()}` } }),
  listProjects: () => ({ method: 'GET', path: '/projects' }),
  getProject: (f) => ({ method: 'GET', path: `/projects/${f.projectId}` }),
  patchProject: async (f) => ({
    method: 'PATCH',
    path: `/projects/${(await newProject(f)).id}`,
    body: { name: `renamed-${f.n()}` },
  }),
  deleteProject: async (f) => ({ method: 'DELETE', path: `/projects/${(await newProject(f)).id}` }),
  createEnvironment: (f) => ({
    method: 'POST',
    path: '/environments',
    body: { project_id: f.projectId, name: `env-${f.n()}`, tier: 'staging' },
  }),
  listEnvironments: (f) => ({ method: 'GET', path: `/environments?project_id=${f.projectId}` }),
  getEnvironment: (f) => ({ method: 'GET', path: `/environments/${f.envId}` }),
  patchEnvironment: (f) => ({
    method: 'PATCH',
    path: `/environments/${f.envId}`,
    body: { runner_pool_id: null },
  }),
  deleteEnvironment: async (f) => ({
    method: 'DELETE',
    path: `/environments/${(await createEnvironment({ project_id: f.projectId, name: `gone-${f.n()}`, tier: 'staging' }, sys(f))).id}`,
  }),
  listAuditEvents: (f) => ({ method: 'GET', path: `/audit/events?project_id=${f.projectId}` }),
  createTarget: async (f) => ({
    method: 'POST',
    path: '/deploy/targets',
    body: k8sTarget(f, await clusterOf(f)),
  }),
  listTargets: (f) => ({ method: 'GET', path: `/deploy/targets?project_id=${f.projectId}` }),
  getTarget: async (f) => ({
    method: 'GET',
    path: `/deploy/targets/${(await createTarget(k8sTarget(f, await clusterOf(f)), sys(f))).id}`,
  }),
  patchTarget: async (f) => ({
    method: 'PATCH',
    path: `/deploy/targets/${(await createTarget(k8sTarget(f, await clusterOf(f)), sys(f))).id}`,
    body: { namespace: 'moved' },
  }),
  deleteTarget: async (f) => ({
    method: 'DELETE',
    path: `/deploy/targets/${(await createTarget(k8sTarget(f, await clusterOf(f)), sys(f))).id}`,
  }),
  getTargetStatus: (f) => ({ method: 'GET', path: `/deploy/targets/${f.gov.targets.devCompose}/status` }),
  refreshTargetStatus: (f) => ({
    method: 'POST',
    path: `/deploy/targets/${f.gov.targets.devCompose}/status/refresh`,
  }),
  listTargetStatuses: (f) => ({ method: 'GET', path: `/deploy/status?project_id=${f.projectId}` }),
  createService: (f) => ({ method: 'POST', path: '/services', body: newService(f) }),
  listServices: (f) => ({ method: 'GET', path: `/services?project_id=${f.projectId}` }),
  getService: async (f) => ({
    method: 'GET',
    path: `/services/${(await createService(newService(f), sys(f))).id}`,
  }),
  getServiceVariables: (f) => ({
    method: 'GET',
    path: `/services/${f.gov.serviceId}/variables?target_id=${f.gov.targets.devCompose}`,
  }),
  patchService: async (f) => ({
    method: 'PATCH',
    path: `/services/${(await createService(newService(f), sys(f))).id}`,
    body: { secret_variables: ['DB_PASSWORD'] },
  }),
  deleteService: async (f) => ({
    method: 'DELETE',
    path: `/services/${(await createService(newService(f), sys(f))).id}`,
  }),
  createPipeline: (f) => ({ method: 'POST', path: '/ci/pipelines', body: matrixPipeline(f) }),
  listPipelines: (f) => ({ method: 'GET', path: `/ci/pipelines?project_id=${f.gov.project}` }),
  getPipeline: async (f) => ({ method: 'GET', path: `/ci/pipelines/${await newPipeline(f)}` }),
  patchPipeline: async (f) => ({
    method: 'PATCH',
    path: `/ci/pipelines/${await newPipeline(f)}`,
    body: { branch_filter: 'main' },
  }),
  deletePipeline: async (f) => ({ method: 'DELETE', path: `/ci/pipelines/${await newPipeline(f)}` }),
  rotatePipelineSecret: async (f) => ({
    method: 'POST',
    path: `/ci/pipelines/${await newPipeline(f)}/rotate-secret`,
  }),
  listBuilds: (f) => ({ method: 'GET', path: `/ci/builds?service_id=${f.gov.serviceId}` }),
  getBuild: async (f) => ({ method: 'GET', path: `/ci/builds/${await newBuild(f)}` }),
  createAiCommand: (f) => ({
    method: 'POST',
    path: '/ai/commands',
    body: { text: 'what is running in stage?', project_id: f.projectId },
  }),
  listAiCommands: () => ({ method: 'GET', path: '/ai/commands' }),
  getAiCommand: async (f, caller) => ({ method: 'GET', path: `/ai/commands/${await ownCommand(f, caller)}` }),
  // Both projects have a "stage": the command asks which, and the answer picks the matrix one.
  answerAiCommand: async (f, caller) => ({
    method: 'POST',
    path: `/ai/commands/${await ownCommand(f, caller)}/answer`,
    body: { answers: { environment_id: f.envId } },
  }),
  confirmAiCommand: async (f, caller) => ({
    method: 'POST',
    path: `/ai/commands/${await previewedCommand(f, caller)}/confirm`,
  }),
};

/** A command of the caller's that waits for an answer (which "stage"). */
async function ownCommand(f: Fixture, caller: string) {
  const res = await f.p.request('POST', '/ai/commands', {
    token: caller,
    body: { text: 'what is running in stage?' },
  });
  if (res.json?.status !== 'needs_input') throw new Error(`command: ${res.text}`);
  return res.json.id as string;
}

/**
 * A previewed command of the caller's, written directly over the admin's preview: a caller
 * without the apply permissions cannot make one, yet the confirm must be what refuses them.
 */
async function previewedCommand(f: Fixture, caller: string) {
  const me = await f.p.request('GET', '/me', { token: caller });
  const { release } = await adminPreview(f, 'dev');
  const id = newId('aic');
  const now = f.p.clock.now();
  await f.p.deps.database.db.insert(aiCommands).values({
    id,
    projectId: f.gov.project,
    createdBy: me.json.user.id,
    text: 'deploy web to dev',
    intent: 'deploy',
    status: 'previewed',
    interpreter: 'parser',
    parsed: {},
    answers: {},
    plan: [],
    previewRef: release.preview_ref,
    providerRequests: [],
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

const sys = (f: Fixture) => ({
  db: f.p.deps.database.db,
  clock: f.p.deps.clock,
  actor: { userId: 'matrix', username: 'matrix', source: 'system' as const },
});
const credentialCtx = (f: Fixture) => ({ ...sys(f), keys: f.p.deps.keys });
const newCredential = (f: Fixture, projectId = f.projectId) =>
  createCredential(
    {
      project_id: projectId,
      name: `cred-${f.n()}`,
      kind: 'ssh_password',
      payload: { password: 'a matrix ssh password' },
    },
    credentialCtx(f),
  );
const newHost = async (f: Fixture, pool?: string) =>
  createHost(
    {
      project_id: pool ? f.gov.project : f.projectId,
      ...(pool ? { runner_pool_id: pool } : {}),
      name: `host-${f.n()}`,
      address: '10.0.0.5',
      port: 22,
      username: 'deploy',
      credential_id: (await newCredential(f, pool ? f.gov.project : f.projectId)).id,
    },
    sys(f),
  );
/** A kubeconfig needs no CA (system roots), so no PKI is made for the matrix. */
const matrixCluster = (f: Fixture) => ({
  project_id: f.projectId,
  name: `cluster-${f.n()}`,
  mode: 'kubeconfig' as const,
  kubeconfig: JSON.stringify({
    clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443' } }],
    users: [{ name: 'u', user: { token: 'matrix-cluster-token-0123' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  }),
});
const newCluster = (f: Fixture, pool?: string) =>
  importCluster(
    pool ? { ...matrixCluster(f), project_id: f.gov.project, runner_pool_id: pool } : matrixCluster(f),
    credentialCtx(f),
  );
/** A pool of the fixture's project nothing is bound to (its queue is not needed). */
const newPool = async (f: Fixture) =>
  (await createPool({ name: `pool-${f.n()}`, project_id: f.gov.project }, sys(f), async () => {})).id;
/** A registered runner of the fixture's pool, made through the services (its token is not needed). */
async function newRunner(f: Fixture) {
  const t = await createRegistrationToken(f.gov.pool, 600, sys(f));
  const key = generateSealingKeyPair().publicKey;
  const r = await registerRunner(
    { registration_token: t.token, name: `r-${f.n()}`, labels: {}, public_key: key },
    f.p.deps.database.db,
    f.p.deps.clock,
  );
  return r.runner_id;
}
const matrixPipeline = (f: Fixture) => ({
  project_id: f.gov.project,
  service_id: f.gov.serviceId,
  provider: 'github_actions' as const,
  repository: 'octo-org/web',
  trigger: 'push' as const,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder, not a JS one
  image: 'registry.internal/web:${SHORT_SHA}',
});
const newPipeline = async (f: Fixture) =>
  (await createPipeline(matrixPipeline(f), { ...credentialCtx(f), apiBase: 'http://localhost/api/v1' })).id;
/** A build as a delivery leaves it, written directly (the webhook path has its own tests). */
async function newBuild(f: Fixture) {
  const pipelineId = await newPipeline(f);
  const now = f.p.clock.now();
  const id = newId('bld');
  await f.p.deps.database.db.insert(ciBuilds).values({
    id,
    projectId: f.gov.project,
    serviceId: f.gov.serviceId,
    pipelineId,
    providerRunId: null,
    commitSha: `${f.n()}`.padStart(40, 'a'),
    ref: 'refs/heads/main',
    runNumber: null,
    status: 'queued',
    artifacts: [],
    createdAt: now,
    updatedAt: now,
  });
  return id;
}
const newProject = (f: Fixture) => createProject({ name: `matrix-${f.n()}` }, sys(f));
const newUser = (f: Fixture) =>
  createUser({ username: `target-${f.n()}`, password: 'a long enough password' }, sys(f));
const roleId = async (f: Fixture, name: string) => {
  const res = await f.p.request('GET', '/roles?limit=200', { token: await f.p.adminToken() });
  return res.json.items.find((r: { name: string }) => r.name === name).id as string;
};

const k8sTarget = (f: Fixture, clusterId: string) => ({
  project_id: f.projectId,
  environment_id: f.envId,
  name: `target-${f.n()}`,
  runtime_type: 'k8s' as const,
  cluster_id: clusterId,
  namespace: 'matrix',
});
const newService = (f: Fixture) => ({
  project_id: f.projectId,
  name: `service-${f.n()}`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not a JS one
  compose_file: 'services:\n  web:\n    image: web:${TAG}\n',
});
/** One cluster per platform, written directly (only its id and project matter to a target). */
const clusterIds = new WeakMap<TestPlatform, Promise<string>>();
const clusterOf = (f: Fixture) => {
  let id = clusterIds.get(f.p);
  if (!id) {
    id = seedCluster(f);
    clusterIds.set(f.p, id);
  }
  return id;
};
async function seedCluster(f: Fixture) {
  const db = f.p.deps.database.db;
  const now = f.p.clock.now();
  const credentialId = newId('cred');
  await db.insert(credentials).values({
    id: credentialId,
    projectId: f.projectId,
    name: 'matrix-cluster-token',
    kind: 'token',
    metadata: {},
    envelope: { v: 1, alg: 'none', ciphertext: '', nonce: '', tag: '', wrapped_key: '', key_id: 'matrix' },
    createdBy: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
  const id = newId('cls');
  await db.insert(clusters).values({
    id,
    projectId: f.projectId,
    name: 'matrix-cluster',
    clusterSource: 'external_managed',
    mode: 'token',
    server: 'https://10.0.0.1:6443',
    credentialId,
    runnerPoolId: null,
    metadata: {},
    lastTest: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

const ROLES = Object.keys(BUILTIN_ROLES) as BuiltinRole[];

describe.each(await backends())('route x role matrix on %s', (backend) => {
  let p: TestPlatform;
  let f: Fixture;
  let operations: { id: string; declared: string[] }[];
  let manifestDir: string;
  const tokens = {} as Record<BuiltinRole, string>;

  beforeAll(async () => {
    manifestDir = mkdtempSync(join(tmpdir(), 'k8sm-matrix-'));
    writeFileSync(join(manifestDir, 'index.yaml'), stringify(TEST_MANIFEST));
    p = await createTestPlatform(backend, { K8SM_BUNDLE_MANIFEST: join(manifestDir, 'index.yaml') });
    const admin = await p.adminToken();
    const project = await p.request('POST', '/projects', { token: admin, body: { name: 'matrix' } });
    const env = await p.request('POST', '/environments', {
      token: admin,
      body: { project_id: project.json.id, name: 'stage', tier: 'staging' },
    });
    let i = 0;
    f = {
      p,
      projectId: project.json.id,
      envId: env.json.id,
      n: () => ++i,
      gov: await governanceFixture(p, 'matrix-gov'),
    };
    for (const role of ROLES) tokens[role] = (await p.userWithRole(role)).token;
    const doc = (await p.request('GET', '/openapi.json')).json;
    operations = Object.values(doc.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .map((op) => ({ id: op.operationId as string, declared: (op['x-permissions'] ?? null) as string[] }));
  });
  afterAll(async () => {
    await p.close();
    rmSync(manifestDir, { recursive: true, force: true });
  });

  it('declares on every route exactly the permissions of the table', () => {
    const secured = operations.filter(
      (o) => !PUBLIC.includes(o.id) && !RUNNER_PROTOCOL.includes(o.id) && !SIGNED.includes(o.id),
    );
    expect(secured.map((o) => o.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const o of secured)
      expect([o.id, [...o.declared].sort()]).toEqual([o.id, [...EXPECTED[o.id]!].sort()]);
    expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = Object.keys(EXPECTED).flatMap((op) => ROLES.map((role) => [op, role] as const));
  it.each(cases)('%s as %s: allowed exactly when the role holds the permissions', async (op, role) => {
    const call = await REQUESTS[op]!(f, tokens[role]);
    const res = await p.request(call.method, call.path, { ...call, token: tokens[role] });
    const held = BUILTIN_ROLES[role] as readonly string[];
    const needed = [...EXPECTED[op]!, ...(FROM_RESOURCE[op] ?? [])];
    const missing = needed.filter((perm) => !held.includes(perm));
    if (missing.length) {
      expect(res.status).toBe(403);
      expect(res.json.error.message).toContain(missing[0]);
    } else {
      // changeMyPassword is called with a wrong current password: the refusal is a 422, not a 403.
      const usual = call.method === 'POST' ? 201 : call.method === 'DELETE' ? 204 : 200;
      expect(res.status, res.text).toBe(SUCCESS[op] ?? usual);
    }
  });

  it.each(RUNNER_PROTOCOL.filter((op) => op !== 'registerRunner'))(
    '%s takes a runner token only: a user token with every permission gets 401',
    async (op) => {
      const path =
        op === 'claimJob'
          ? '/runner/jobs/claim'
          : `/runner/jobs/job_x/${{ heartbeatJob: 'heartbeat', reportJobStep: 'steps', completeJob: 'complete' }[op]}`;
      const res = await p.request('POST', path, { token: tokens.admin, body: { lease_token: 1 } });
      expect(res.status).toBe(401);
    },
  );

  it.each(Object.keys(EXPECTED))('%s refuses a request without a token with 401', async (op) => {
    const call = await REQUESTS[op]!(f, f.gov.admin);
    const res = await p.request(call.method, call.path, { ...call, token: undefined });
    expect(res.status).toBe(401);
  });
});
