import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  InstallBundles,
  InstallDriftReport,
  InstallLogEntry,
  InstallRequest,
  InstallTask,
  InstallTaskDetail,
  InstallVerifyAccepted,
  UninstallRequest,
} from '../../../shared/contracts/installs';
import { clusterScope } from '../clusters/routes';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { environmentScope } from '../environments/scope';
import { invalid, notFound } from '../errors';
import { conditionalJson, notModified } from '../etag';
import { validationHook } from '../middleware/errors';
import {
  AfterSeq,
  authErrors,
  errorResponses,
  Id,
  IdParam,
  jsonBody,
  jsonResponse,
  ListQuery,
  listOf,
} from '../openapi';
import { listPage } from '../pagination';
import { secured } from '../route';
import { bundlesView } from './bundles';
import { cancelTask } from './cancel';
import { requestCertRenew } from './certs';
import { manifestFrom } from './manifest';
import { findTask, listTasks, stepsChangedAfter, stepsOfTask } from './repo';
import { requestInstall, requestRollback, requestUninstall, retryTask } from './service';
import { driftReport, requestVerify } from './verify';
import { taskDetail, toLogEntry, toTask } from './view';

const tags = ['installs'];

const CertRenewAccepted = z
  .object({
    task_id: z.string(),
    job_id: z.string(),
    status: z.literal('queued'),
    environment_id: z.string(),
  })
  .openapi('CertRenewAccepted');

const TaskParams = IdParam.extend({ task_id: Id.openapi({ param: { name: 'task_id', in: 'path' } }) });
const VerifyParams = IdParam.extend({ job_id: Id.openapi({ param: { name: 'job_id', in: 'path' } }) });
const LogsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
  after: AfterSeq,
});

const installCtx = (c: { var: ApiEnv['Variables'] }) => ({
  ...serviceCtx(c),
  manifest: manifestFrom(c.var.deps.config.bundleManifest),
});

async function taskOf(c: { var: ApiEnv['Variables'] }, envId: string, taskId: string) {
  const t = await findTask(c.var.deps.database.db, taskId);
  if (t?.environmentId !== envId) throw notFound('install task');
  return t;
}

const write = { permissions: ['environment:install'] as const, scope: environmentScope, tags };
const read = { permissions: ['environment:read'] as const, scope: environmentScope, tags };
const accepted = (description: string) => ({
  202: jsonResponse(InstallTask, description),
  ...errorResponses(...authErrors, 404, 409),
});

export const installsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/install/bundles',
      operationId: 'listInstallBundles',
      summary: 'The runtimes and versions an install may ask for, with the platforms each supports',
      description:
        'From the bundle manifest the platform checks install requests against; empty where the platform ships no bundles.',
      tags,
      permissions: ['environment:read'],
      // The same for every project: reading environments somewhere is enough.
      scope: { kind: 'anywhere' },
      responses: { 200: jsonResponse(InstallBundles, 'Bundles'), ...errorResponses(...authErrors) },
    }),
    async (c) => c.json(bundlesView(await manifestFrom(c.var.deps.config.bundleManifest)()), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/install',
      operationId: 'installEnvironment',
      summary: 'Install a runtime bundle on hosts of the environment (a ticket where the policy wants one)',
      description:
        'The runtime and version must be a bundle of the manifest; the hosts, hosts of the project not busy with another queued or running task of the environment (409). A succeeded install registers a deploy target (k8s: also a platform_managed cluster).',
      ...write,
      request: { params: IdParam, body: jsonBody(InstallRequest) },
      responses: accepted('The task, queued or pending approval'),
    }),
    async (c) =>
      c.json(await requestInstall(c.req.valid('param').id, c.req.valid('json'), installCtx(c)), 202),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/uninstall',
      operationId: 'uninstallEnvironment',
      summary: 'Remove an installed runtime from hosts of the environment',
      description:
        'Without runtime and version, removes what the newest succeeded install covering the hosts put there. Once it succeeds, the target (and cluster) that installs of this runtime and version on these hosts registered are retired (soft-deleted); 409 IN_USE while a release is in flight on such a target or the cluster serves other targets.',
      ...write,
      request: { params: IdParam, body: jsonBody(UninstallRequest) },
      responses: accepted('The uninstall task, queued or pending approval'),
    }),
    async (c) =>
      c.json(await requestUninstall(c.req.valid('param').id, c.req.valid('json'), installCtx(c)), 202),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments/{id}/install/tasks',
      operationId: 'listInstallTasks',
      summary: 'List install tasks of the environment, newest first',
      ...read,
      request: { params: IdParam, query: ListQuery },
      responses: {
        200: jsonResponse(listOf(InstallTask), 'Install tasks'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const envId = c.req.valid('param').id;
      return c.json(
        await listPage(q, { read: (w) => listTasks(db, envId, w.after, w.limit), view: toTask }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments/{id}/install/tasks/{task_id}',
      operationId: 'getInstallTask',
      summary: 'An install task with its steps per host, current step and progress',
      ...read,
      description:
        'Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing about the task changed.',
      request: { params: TaskParams },
      responses: {
        200: jsonResponse(InstallTaskDetail, 'The task'),
        ...notModified,
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      const t = await taskOf(c, id, task_id);
      return conditionalJson(c, taskDetail(t, await stepsOfTask(c.var.deps.database.db, t.id)));
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments/{id}/install/tasks/{task_id}/logs',
      operationId: 'getInstallTaskLogs',
      summary: 'The full output of every step of the task, in the order recorded',
      description:
        "With `after` (an event seq; 0 for everything), only the step runs recorded or changed since that event, ordered by their newest change, each with that change's `seq` to send as the next `after` (at most `limit`; ask again from the last seq for more). Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing changed.",
      ...read,
      request: { params: TaskParams, query: LogsQuery },
      responses: {
        200: jsonResponse(listOf(InstallLogEntry), 'Step outputs'),
        ...notModified,
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      const q = c.req.valid('query');
      const t = await taskOf(c, id, task_id);
      const { db } = c.var.deps.database;
      if (q.after !== undefined) {
        if (q.cursor !== undefined) throw invalid('cursor', 'give either after or cursor, not both');
        const changed = await stepsChangedAfter(db, t.id, q.after, q.limit);
        return conditionalJson(c, {
          items: changed.map((s) => toLogEntry(s.step, s.seq)),
          next_cursor: null,
        });
      }
      return conditionalJson(
        c,
        await listPage(q, {
          read: (w) => stepsOfTask(db, t.id, w.after, w.limit),
          view: (s) => toLogEntry(s),
        }),
      );
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/install/tasks/{task_id}/retry',
      operationId: 'retryInstallTask',
      summary: 'Run a failed task again; the runner resumes at the step that failed',
      ...write,
      request: { params: TaskParams },
      responses: accepted('The task, queued again'),
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      return c.json(await retryTask(id, task_id, serviceCtx(c)), 202);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/install/tasks/{task_id}/rollback',
      operationId: 'rollbackInstallTask',
      summary: 'Undo the steps a task ran, newest first, as a new task (a ticket where the policy wants one)',
      description:
        'Once it succeeds, the target (and cluster) the install registered are retired (soft-deleted); 409 IN_USE while a release is in flight on that target or the cluster serves other targets.',
      ...write,
      request: { params: TaskParams },
      responses: accepted('The rollback task'),
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      return c.json(await requestRollback(id, task_id, serviceCtx(c)), 202);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/install/tasks/{task_id}/cancel',
      operationId: 'cancelInstallTask',
      summary: 'Withdraw a task no runner has claimed yet (pending_approval or queued)',
      description:
        'Its requester may, and so may a holder of environment:install in the project. A still-pending ticket expires; a running or finished task answers 409.',
      tags,
      permissions: [],
      scope: environmentScope,
      request: { params: TaskParams },
      responses: {
        200: jsonResponse(InstallTask, 'The cancelled task'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      return c.json(await cancelTask(id, task_id, { ...serviceCtx(c), grants: c.var.grants }), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/environments/{id}/install/verify',
      operationId: 'verifyEnvironmentInstall',
      summary: "Check every host's installed files against its stored fingerprint (drift), as a runner job",
      description:
        'Each host whose last successful install recorded a fingerprint is read over SSH; 409 when no host has one. The report is at `/environments/{id}/install/verify/{job_id}`.',
      ...write,
      request: { params: IdParam },
      responses: {
        202: jsonResponse(InstallVerifyAccepted, 'The verify job was queued'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await requestVerify(c.req.valid('param').id, serviceCtx(c)), 202),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments/{id}/install/verify/{job_id}',
      operationId: 'getInstallDrift',
      summary: 'The drift report of a verify job: per host none, changed or missing, file by file',
      description:
        'While the job is queued or running every host has `drift: null`. A host the runner could not read keeps `drift: null` and says why in `error_code`.',
      ...write,
      request: { params: VerifyParams },
      responses: {
        200: jsonResponse(InstallDriftReport, 'The report'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const { id, job_id } = c.req.valid('param');
      return c.json(await driftReport(c.var.deps.database.db, id, job_id), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/clusters/{id}/certificates/renew',
      operationId: 'renewClusterCertificates',
      summary: "Renew a platform-managed cluster's certificates (kubeadm certs renew) as an install task",
      description:
        'Queues a `cert_renew` task on the first control plane of the install that made the cluster; when it succeeds the new admin kubeconfig is sealed in place of the old one and the expiry is kept on the cluster. 409 for a cluster the platform did not install, or while another task is busy on that host.',
      tags: ['clusters'],
      permissions: ['cluster:write'],
      scope: clusterScope,
      request: { params: IdParam },
      responses: {
        202: jsonResponse(CertRenewAccepted, 'The renew task was queued'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await requestCertRenew(c.req.valid('param').id, serviceCtx(c)), 202),
  );
