import { MAX_TARGET_HOSTS } from '../../../shared/contracts/deploy';
import type { InstallRequest, InstallTask, UninstallRequest } from '../../../shared/contracts/installs';
import type { FieldError } from '../../../shared/errors';
import { type BundleEntry, findBundle, type Manifest } from '../../../shared/install/manifest';
import { InstallOptions, rolesOf, VIP_FORMAT } from '../../../shared/install/work';
import { needsTicket } from '../../../shared/policy';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { createTicket } from '../approvals/service';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError, invalid, notFound } from '../errors';
import { policyOf } from '../policy/service';
import { hostsOfProject } from '../targets/repo';
import { assertHostsFree, newJob, queueTask, taskEvent } from './lifecycle';
import type { ManifestSource } from './manifest';
import {
  findTask,
  type InstallTaskRow,
  insertTask,
  lockEnvironment,
  lockTask,
  newestInstallCovering,
  openRollbackOf,
} from './repo';
import { assertRegistrationsFree } from './retire';
import { toTask } from './view';

export type InstallCtx = ServiceCtx & { manifest: ManifestSource };

const failed = (fields: FieldError[]) =>
  new ApiError('VALIDATION_FAILED', 'request failed validation', fields);

function bundleOrRefuse(m: Manifest | null, runtime: string, version: string): BundleEntry {
  const bundle = m ? findBundle(m, runtime, version) : undefined;
  if (bundle) return bundle;
  const known = (m?.bundles ?? []).filter((b) => b.runtime === runtime).map((b) => b.version);
  throw invalid(
    'version',
    known.length
      ? `no ${runtime} bundle of that version; available: ${known.join(', ')}`
      : `this platform has no ${runtime} bundle`,
  );
}

async function checkHosts(db: Db, projectId: string, hostIds: string[]) {
  const known = await hostsOfProject(db, projectId, hostIds);
  const fields = hostIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `host_ids[${i}]`, message: 'no such host in this project' }],
  );
  if (fields.length) throw failed(fields);
}

async function environmentOf(db: Db, id: string) {
  const env = await findEnvironment(db, id);
  if (!env) throw notFound('environment');
  return env;
}

type NewTask = Pick<
  InstallTaskRow,
  'environmentId' | 'action' | 'runtime' | 'version' | 'hostIds' | 'options' | 'bundle' | 'rollbackOf'
>;

/**
 * Writes the task: `pending_approval` with its ticket where the project's policy wants one for
 * installs in this tier (install, uninstall and rollback alike), else `queued` with its job.
 */
async function openTask(spec: NewTask, ctx: ServiceCtx): Promise<InstallTask> {
  return ctx.db.transaction(async (tx) => {
    const env = await lockEnvironment(tx, spec.environmentId);
    if (!env) throw notFound('environment');
    const now = ctx.clock.now();
    const row: InstallTaskRow = {
      ...spec,
      id: newId('itk'),
      projectId: env.projectId,
      status: 'pending_approval',
      approvalTicketId: null,
      jobId: null,
      result: null,
      registered: null,
      follows: null,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    const policy = await policyOf(tx, env.projectId);
    if (needsTicket(policy, env.tier, 'install')) {
      const ticket = await createTicket(tx, ctx.clock, {
        projectId: env.projectId,
        environmentId: env.id,
        kind: 'install',
        resourceType: 'install_task',
        resourceId: row.id,
        riskLevel: 'high',
        requestedBy: ctx.actor.userId,
        ttlSeconds: policy.ticket_ttl_seconds,
        source: ctx.actor.source,
      });
      row.approvalTicketId = ticket.id;
    } else {
      await assertHostsFree(tx, row);
      row.status = 'queued';
      row.jobId = (await newJob(tx, ctx.clock, row)).id;
    }
    await insertTask(tx, row);
    await taskEvent(tx, ctx.clock, row, `install_task.${row.status}` as 'install_task.queued', ctx.actor, {
      status: row.status,
      approval_ticket: row.approvalTicketId,
      job_id: row.jobId,
      rollback_of: row.rollbackOf,
    });
    return toTask(row);
  });
}

/**
 * `options.lvs_vip`: k8s only, `ADDRESS/PREFIXLEN`. `options.roles`: k8s only, naming hosts of this
 * task, at least one control plane.
 */
function checkK8sOptions(input: InstallRequest) {
  const vip = input.options.lvs_vip;
  if (vip && input.runtime !== 'k8s') throw invalid('options.lvs_vip', 'a VIP is for k8s installs only');
  if (vip && !VIP_FORMAT.test(vip))
    throw invalid('options.lvs_vip', 'ADDRESS/PREFIXLEN, e.g. 198.51.100.200/32');
  const roles = input.options.roles;
  if (!roles) return;
  if (input.runtime !== 'k8s') throw invalid('options.roles', 'roles are for k8s installs only');
  const fields: FieldError[] = Object.keys(roles).flatMap((id) =>
    input.host_ids.includes(id)
      ? []
      : [{ path: `options.roles.${id}`, message: "not one of this install's host_ids" }],
  );
  if (![...rolesOf(input.host_ids, input.options).values()].includes('control-plane'))
    fields.push({ path: 'options.roles', message: 'at least one host must be a control-plane' });
  if (fields.length) throw failed(fields);
}

export async function requestInstall(envId: string, input: InstallRequest, ctx: InstallCtx) {
  const env = await environmentOf(ctx.db, envId);
  const bundle = bundleOrRefuse(await ctx.manifest(), input.runtime, input.version);
  await checkHosts(ctx.db, env.projectId, input.host_ids);
  checkK8sOptions(input);
  // A compose install becomes a target of these hosts: no more than a target may have.
  if (input.runtime === 'compose' && input.host_ids.length > MAX_TARGET_HOSTS)
    throw invalid('host_ids', `a compose install takes at most ${MAX_TARGET_HOSTS} hosts`);
  return openTask(
    {
      environmentId: env.id,
      action: 'install',
      runtime: input.runtime,
      version: input.version,
      hostIds: input.host_ids,
      options: input.options,
      bundle,
      rollbackOf: null,
    },
    ctx,
  );
}

/**
 * What to remove comes from the newest succeeded install covering the hosts (its runtime, version,
 * options: the prefix it installed under), unless the request names runtime and version.
 */
export async function requestUninstall(envId: string, input: UninstallRequest, ctx: InstallCtx) {
  const env = await environmentOf(ctx.db, envId);
  await checkHosts(ctx.db, env.projectId, input.host_ids);
  const installed = await newestInstallCovering(ctx.db, env.id, input.host_ids);
  const runtime = input.runtime ?? installed?.runtime;
  const version = input.version ?? installed?.version;
  if (!runtime || !version)
    throw invalid(
      'host_ids',
      'no succeeded install in this environment covers these hosts; name runtime and version',
    );
  const same = installed?.runtime === runtime && installed.version === version ? installed : undefined;
  const manifest = await ctx.manifest();
  const bundle =
    (manifest && findBundle(manifest, runtime, version)) ?? (same?.bundle as BundleEntry | undefined);
  await assertRegistrationsFree(ctx.db, {
    action: 'uninstall',
    rollbackOf: null,
    environmentId: env.id,
    runtime,
    version,
    hostIds: input.host_ids,
  });
  return openTask(
    {
      environmentId: env.id,
      action: 'uninstall',
      runtime,
      version,
      hostIds: input.host_ids,
      options: same?.options ?? InstallOptions.parse({}),
      bundle: bundle ?? bundleOrRefuse(manifest, runtime, version),
      rollbackOf: null,
    },
    ctx,
  );
}

async function taskOfEnvironment(db: Db, envId: string, taskId: string) {
  const t = await findTask(db, taskId);
  if (t?.environmentId !== envId) throw notFound('install task');
  return t;
}

/** A rollback undoes the steps that ran, newest first, under the same ticket rules as an install. */
export async function requestRollback(envId: string, taskId: string, ctx: ServiceCtx) {
  const t = await taskOfEnvironment(ctx.db, envId, taskId);
  if (t.action === 'rollback') throw new ApiError('ILLEGAL_TRANSITION', 'a rollback is not rolled back');
  if (t.action === 'vip' || t.action === 'cert_renew')
    throw new ApiError(
      'ILLEGAL_TRANSITION',
      'a VIP task is undone with its cluster: uninstall or roll back the install',
    );
  if (t.status !== 'succeeded' && t.status !== 'failed')
    throw new ApiError('ILLEGAL_TRANSITION', `a ${t.status} task cannot be rolled back`);
  const open = await openRollbackOf(ctx.db, t.id);
  if (open) throw new ApiError('CONFLICT', `rollback ${open.id} of this task has not ended yet`);
  await assertRegistrationsFree(ctx.db, { ...t, action: 'rollback', rollbackOf: t.id });
  return openTask(
    {
      environmentId: t.environmentId,
      action: 'rollback',
      runtime: t.runtime,
      version: t.version,
      hostIds: t.hostIds,
      options: t.options,
      bundle: t.bundle,
      rollbackOf: t.id,
    },
    ctx,
  );
}

/**
 * A failed task runs again as a new job; the runner resumes at the failed step (the host's markers
 * say which steps are done). The task was approved already, so no new ticket.
 */
export async function retryTask(envId: string, taskId: string, ctx: ServiceCtx) {
  await taskOfEnvironment(ctx.db, envId, taskId);
  return ctx.db.transaction(async (tx) => {
    await lockEnvironment(tx, envId);
    const t = await lockTask(tx, taskId);
    if (!t) throw notFound('install task');
    if (t.status !== 'failed')
      throw new ApiError('ILLEGAL_TRANSITION', `only a failed task is retried, not a ${t.status} one`);
    await taskEvent(tx, ctx.clock, t, 'install_task.retried', ctx.actor, { previous_job_id: t.jobId });
    return toTask(await queueTask(tx, ctx.clock, t, ctx.actor, { retry: true }));
  });
}
