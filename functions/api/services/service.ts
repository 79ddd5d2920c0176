import { createHash } from 'node:crypto';
import type { CreateServiceRequest, PatchServiceRequest, Service } from '../../../shared/contracts/deploy';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, assertUnused, invalid, notFound } from '../errors';
import { findProject } from '../projects/repo';
import {
  findServiceByName,
  insertService,
  lockService,
  type ServiceRow,
  unfinishedReleasesOf,
  updateService,
} from './repo';

export const toService = (s: ServiceRow): Service => ({
  id: s.id,
  project_id: s.projectId,
  name: s.name,
  k8s_manifest: s.k8sManifest,
  compose_file: s.composeFile,
  secret_variables: s.secretVariables,
  description: s.description,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});

/**
 * Templates may hold literal values (a password typed into a manifest), so the audit stream records
 * their digests, never their text.
 */
export const templateDigest = (template: string | null) =>
  template === null ? null : `sha256:${createHash('sha256').update(template, 'utf8').digest('hex')}`;

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'the project has a service of that name', [
    { path: 'name', message: 'already exists' },
  ]);

export async function createService(input: CreateServiceRequest, ctx: ServiceCtx): Promise<Service> {
  return ctx.db.transaction(async (tx) => {
    if (!(await findProject(tx, input.project_id))) throw invalid('project_id', 'no such project');
    if (await findServiceByName(tx, input.project_id, input.name)) throw nameTaken();
    const now = ctx.clock.now();
    const row: ServiceRow = {
      id: newId('svc'),
      projectId: input.project_id,
      name: input.name,
      k8sManifest: input.k8s_manifest ?? null,
      composeFile: input.compose_file ?? null,
      secretVariables: input.secret_variables ?? [],
      description: input.description ?? '',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    if (!(await insertService(tx, row))) throw nameTaken();
    await recordEvent(tx, ctx.clock, {
      action: 'service.created',
      resourceType: 'service',
      resourceId: row.id,
      projectId: row.projectId,
      actor: ctx.actor,
      detail: {
        name: row.name,
        k8s_manifest_digest: templateDigest(row.k8sManifest),
        compose_file_digest: templateDigest(row.composeFile),
        secret_variables: row.secretVariables,
      },
    });
    return toService(row);
  });
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Partial update. A field equal to what is stored is not a change; a PATCH that changes nothing
 * writes nothing (no row update, no event). The event names the changed fields and, for
 * templates, the digests before and after.
 */
export async function patchService(
  id: string,
  input: PatchServiceRequest,
  ctx: ServiceCtx,
): Promise<Service> {
  return ctx.db.transaction(async (tx) => {
    const current = await lockService(tx, id);
    if (!current) throw notFound('service');
    const next = {
      name: input.name ?? current.name,
      k8sManifest: input.k8s_manifest === undefined ? current.k8sManifest : input.k8s_manifest,
      composeFile: input.compose_file === undefined ? current.composeFile : input.compose_file,
      secretVariables: input.secret_variables ?? current.secretVariables,
      description: input.description ?? current.description,
    };
    if (next.k8sManifest === null && next.composeFile === null)
      throw new ApiError('VALIDATION_FAILED', 'a service keeps at least one template', [
        { path: 'k8s_manifest', message: 'a service needs k8s_manifest, compose_file or both' },
        { path: 'compose_file', message: 'a service needs k8s_manifest, compose_file or both' },
      ]);

    const set: Parameters<typeof updateService>[2] = {};
    const detail: Record<string, unknown> = {};
    const changed: string[] = [];
    if (next.name !== current.name) {
      if (await findServiceByName(tx, current.projectId, next.name)) throw nameTaken();
      set.name = next.name;
      changed.push('name');
      detail.name = { from: current.name, to: next.name };
    }
    if (next.k8sManifest !== current.k8sManifest) {
      set.k8sManifest = next.k8sManifest;
      changed.push('k8s_manifest');
      detail.k8s_manifest_digest = {
        from: templateDigest(current.k8sManifest),
        to: templateDigest(next.k8sManifest),
      };
    }
    if (next.composeFile !== current.composeFile) {
      set.composeFile = next.composeFile;
      changed.push('compose_file');
      detail.compose_file_digest = {
        from: templateDigest(current.composeFile),
        to: templateDigest(next.composeFile),
      };
    }
    if (!sameList(next.secretVariables, current.secretVariables)) {
      set.secretVariables = next.secretVariables;
      changed.push('secret_variables');
      detail.secret_variables = { from: current.secretVariables, to: next.secretVariables };
    }
    // Free text may hold anything people type: the event says it changed, not what it says.
    if (next.description !== current.description) {
      set.description = next.description;
      changed.push('description');
    }
    if (changed.length === 0) return toService(current);

    const now = ctx.clock.now();
    await updateService(tx, id, set, now);
    await recordEvent(tx, ctx.clock, {
      action: 'service.updated',
      resourceType: 'service',
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
      detail: { changed, ...detail },
    });
    return toService({ ...current, ...set, updatedAt: now });
  });
}

/**
 * Soft delete (SPEC §7.0): the releases that name the service keep rendering; new previews of it are
 * refused like those of a service that never existed. 409 while a release of it is in flight.
 */
export async function deleteService(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const s = await lockService(tx, id);
    if (!s) throw notFound('service');
    assertUnused('service', { 'unfinished release(s)': await unfinishedReleasesOf(tx, id) });
    const now = ctx.clock.now();
    await updateService(tx, id, { deletedAt: now }, now);
    await recordEvent(tx, ctx.clock, {
      action: 'service.deleted',
      resourceType: 'service',
      resourceId: id,
      projectId: s.projectId,
      actor: ctx.actor,
      detail: { name: s.name },
    });
  });
}
