import { randomBytes } from 'node:crypto';
import { nextSlot, parseCron } from '../../../shared/ci/cron';
import type {
  CiProvider,
  CreatePipelineRequest,
  PatchPipelineRequest,
  Pipeline,
  PipelineWithSecret,
} from '../../../shared/contracts/ci';
import { checkOutboundUrl, type OutboundRule } from '../../../shared/net/outbound-guard';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { openSecretString, sealSecretString } from '../../platform/keys/sealed-secret';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { lockCredential } from '../credentials/repo';
import { invalid, notFound } from '../errors';
import { deleteSealedRow, rotateSealedSecret, type SealedRows } from '../sealed-rows';
import { findService } from '../services/repo';
import { jobUrl } from './provider-api';
import { findPipeline, insertPipeline, lockPipeline, type PipelineRow, updatePipeline } from './repo';
import { STANDARD_PREFIX } from './verify';

/** Pipeline services need the key provider (the webhook secret) and the API's public origin. */
export type PipelineCtx = ServiceCtx & { keys: KeyProvider; apiBase: string; outbound: OutboundRule };

export const webhookUrl = (apiBase: string, id: string) => `${apiBase}/ci/webhooks/${id}`;

/** When the sweep fires a schedule pipeline next: the first slot after the last fired, or from now. */
function nextFireAt(p: PipelineRow, now: Date): string | null {
  if (p.trigger !== 'schedule' || !p.schedule) return null;
  const parsed = parseCron(p.schedule);
  if (!parsed.ok) return null;
  // A slot of the current minute not fired yet is still next: the sweep is about to fire it.
  const after = Math.max(p.lastFiredSlot?.getTime() ?? 0, now.getTime() - 60_000);
  return nextSlot(parsed.cron, new Date(after))?.toISOString() ?? null;
}

export const toPipeline = (p: PipelineRow, apiBase: string, now: Date): Pipeline => ({
  id: p.id,
  project_id: p.projectId,
  service_id: p.serviceId,
  provider: p.provider,
  repository: p.repository,
  branch_filter: p.branchFilter,
  tag_filter: p.tagFilter,
  trigger: p.trigger,
  schedule: p.schedule,
  image: p.image,
  provider_api_url: p.providerApiUrl,
  provider_job: p.providerJob,
  provider_credential_id: p.providerCredentialId,
  webhook_url: webhookUrl(apiBase, p.id),
  next_fire_at: nextFireAt(p, now),
  secret_rotated_at: p.secretRotatedAt.toISOString(),
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

/** The context a pipeline's webhook secret is sealed to: moved to another row, it does not open. */
export const pipelineSecretContext = (p: Pick<PipelineRow, 'id' | 'projectId'>): EncryptionContext => ({
  purpose: 'ci_webhook_secret',
  project_id: p.projectId,
  pipeline_id: p.id,
});

/**
 * 32 random bytes in the form each scheme expects: Standard Webhooks senders decode a `whsec_`
 * base64 key; GitHub and GitLab take the string as typed into their settings.
 */
export function newWebhookSecret(provider: CiProvider): string {
  const bytes = randomBytes(32);
  return provider === 'github_actions' || provider === 'gitlab_ci'
    ? bytes.toString('base64url')
    : `${STANDARD_PREFIX}${bytes.toString('base64')}`;
}

const sealSecret = (keys: KeyProvider, p: Pick<PipelineRow, 'id' | 'projectId'>, secret: string) =>
  sealSecretString(keys, secret, pipelineSecretContext(p));

/** Pipelines whose opened secret a process keeps; beyond it the oldest one is opened again. */
const OPENED_MAX = 1000;
type Opened = { sealed: string; secret: Promise<string> };
const opened = new WeakMap<KeyProvider, Map<string, Opened>>();

/** Everything the secret is opened from: any rotation, re-wrap or shredding changes it. */
const sealedAs = (p: PipelineRow) => {
  const e = p.secretEnvelope;
  return [p.projectId, e.v, e.alg, e.key_id, e.wrapped_key, e.nonce, e.tag, e.ciphertext].join('\n');
};

/**
 * The pipeline's webhook secret. Each delivery would otherwise open the envelope again (a key
 * provider call: a KMS request on Lambda); the secret is kept with the exact envelope it came
 * from, so a rotated, re-wrapped or shredded envelope is never answered from the old one.
 */
export function openWebhookSecret(keys: KeyProvider, p: PipelineRow): Promise<string> {
  const cache = opened.get(keys) ?? new Map<string, Opened>();
  opened.set(keys, cache);
  const sealed = sealedAs(p);
  const hit = cache.get(p.id);
  if (hit?.sealed === sealed) return hit.secret;
  const secret = openSecretString(keys, p.secretEnvelope, pipelineSecretContext(p));
  cache.delete(p.id);
  if (cache.size >= OPENED_MAX) cache.delete(cache.keys().next().value!);
  const entry = { sealed, secret };
  cache.set(p.id, entry);
  // A failed open is not kept: the next delivery tries the key provider again.
  secret.catch(() => {
    if (cache.get(p.id) === entry) cache.delete(p.id);
  });
  return secret;
}

/**
 * SPEC §7.2: a pipeline may name a provider token only of kind `ci_provider`, of its project,
 * whose `api_origin` is exactly the origin of `provider_api_url`: no other credential ever leaves
 * the platform through a trigger.
 */
async function checkProviderCredential(
  db: Db,
  projectId: string,
  credentialId: string | null,
  apiUrl: string | null,
): Promise<void> {
  if (credentialId === null) return;
  // Shared lock: a concurrent delete of the token waits for this reference, then sees it (IN_USE).
  const c = await lockCredential(db, credentialId, 'share');
  if (!c || c.projectId !== projectId)
    throw invalid('provider_credential_id', 'no such credential in the project');
  if (c.kind !== 'ci_provider')
    throw invalid('provider_credential_id', 'must be a credential of kind ci_provider');
  if (apiUrl === null || new URL(apiUrl).origin !== c.metadata.api_origin)
    throw invalid('provider_api_url', "must have exactly the provider credential's api_origin");
}

function checkSchedule(trigger: string, schedule: string | null) {
  if (trigger === 'schedule' && schedule === null)
    throw invalid('schedule', 'a schedule trigger needs a schedule');
}

/**
 * Where a trigger would call must pass the outbound rule when saved (and again before each call);
 * a Jenkins or generic job URL must stay on the API URL's origin, the one the token is bound to.
 */
async function checkProviderApi(
  fields: { providerApiUrl: string | null; providerJob: string | null; provider: string },
  outbound: OutboundRule,
): Promise<void> {
  if (fields.providerApiUrl === null) return;
  const checked = await checkOutboundUrl(fields.providerApiUrl, outbound);
  if (!checked.ok) throw invalid('provider_api_url', checked.reason);
  if ((fields.provider === 'jenkins' || fields.provider === 'generic') && fields.providerJob !== null) {
    const url = jobUrl(fields.providerApiUrl, fields.providerJob);
    if (typeof url === 'string') throw invalid('provider_job', url);
  }
}

export async function createPipeline(
  input: CreatePipelineRequest,
  ctx: PipelineCtx,
): Promise<PipelineWithSecret> {
  // Resolving the name takes a network round trip: done before the transaction holds anything.
  await checkProviderApi(
    {
      providerApiUrl: input.provider_api_url ?? null,
      providerJob: input.provider_job ?? null,
      provider: input.provider,
    },
    ctx.outbound,
  );
  return ctx.db.transaction(async (tx) => {
    const service = await findService(tx, input.service_id);
    if (!service || service.projectId !== input.project_id)
      throw invalid('service_id', 'no such service in the project');
    checkSchedule(input.trigger, input.schedule ?? null);
    await checkProviderCredential(
      tx,
      input.project_id,
      input.provider_credential_id ?? null,
      input.provider_api_url ?? null,
    );
    const now = ctx.clock.now();
    const id = newId('pip');
    const secret = newWebhookSecret(input.provider);
    const row: PipelineRow = {
      id,
      projectId: input.project_id,
      serviceId: input.service_id,
      provider: input.provider,
      repository: input.repository,
      branchFilter: input.branch_filter ?? null,
      tagFilter: input.tag_filter ?? null,
      trigger: input.trigger,
      schedule: input.schedule ?? null,
      image: input.image,
      providerApiUrl: input.provider_api_url ?? null,
      providerJob: input.provider_job ?? null,
      providerCredentialId: input.provider_credential_id ?? null,
      secretEnvelope: await sealSecret(ctx.keys, { id, projectId: input.project_id }, secret),
      secretRotatedAt: now,
      lastFiredSlot: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await insertPipeline(tx, row);
    await recordEvent(tx, ctx.clock, {
      action: 'pipeline.created',
      resourceType: 'pipeline',
      resourceId: id,
      projectId: row.projectId,
      actor: ctx.actor,
      detail: {
        service_id: row.serviceId,
        provider: row.provider,
        repository: row.repository,
        image: row.image,
      },
    });
    return { ...toPipeline(row, ctx.apiBase, now), webhook_secret: secret };
  });
}

const PATCHABLE = {
  repository: 'repository',
  branch_filter: 'branchFilter',
  tag_filter: 'tagFilter',
  trigger: 'trigger',
  schedule: 'schedule',
  image: 'image',
  provider_api_url: 'providerApiUrl',
  provider_job: 'providerJob',
  provider_credential_id: 'providerCredentialId',
} as const satisfies Record<keyof PatchPipelineRequest, keyof PipelineRow>;

/** Partial update; the event names the changed fields. A PATCH that changes nothing writes nothing. */
export async function patchPipeline(
  id: string,
  input: PatchPipelineRequest,
  ctx: PipelineCtx,
): Promise<Pipeline> {
  if (input.provider_api_url !== undefined || input.provider_job !== undefined) {
    const current = await findPipeline(ctx.db, id);
    if (!current) throw notFound('pipeline');
    await checkProviderApi(
      {
        providerApiUrl:
          input.provider_api_url === undefined ? current.providerApiUrl : input.provider_api_url,
        providerJob: input.provider_job === undefined ? current.providerJob : input.provider_job,
        provider: current.provider,
      },
      ctx.outbound,
    );
  }
  return ctx.db.transaction(async (tx) => {
    const current = await lockPipeline(tx, id);
    if (!current) throw notFound('pipeline');
    const set: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(PATCHABLE) as [
      keyof PatchPipelineRequest,
      keyof PipelineRow,
    ][]) {
      const value = input[field];
      if (value === undefined || value === current[column]) continue;
      set[column] = value;
      changed.push(field);
    }
    const next = { ...current, ...set } as PipelineRow;
    checkSchedule(next.trigger, next.schedule);
    if (changed.includes('provider_credential_id') || changed.includes('provider_api_url'))
      await checkProviderCredential(tx, next.projectId, next.providerCredentialId, next.providerApiUrl);
    if (changed.length === 0) return toPipeline(current, ctx.apiBase, ctx.clock.now());
    const now = ctx.clock.now();
    await updatePipeline(tx, id, set, now);
    await recordEvent(tx, ctx.clock, {
      action: 'pipeline.updated',
      resourceType: 'pipeline',
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
      detail: { changed },
    });
    return toPipeline({ ...next, updatedAt: now }, ctx.apiBase, now);
  });
}

const PIPELINE_ROWS: SealedRows<PipelineRow> = {
  audit: { resourceType: 'pipeline', rotated: 'pipeline.secret_rotated', deleted: 'pipeline.deleted' },
  noun: 'pipeline',
  lock: lockPipeline,
  update: updatePipeline,
  seal: sealSecret,
};

/** A new secret, shown once; the old one stops verifying at once (SPEC §7.2). */
export async function rotatePipelineSecret(id: string, ctx: PipelineCtx): Promise<PipelineWithSecret> {
  const { row, secret } = await rotateSealedSecret(PIPELINE_ROWS, id, ctx, (p) =>
    newWebhookSecret(p.provider),
  );
  return { ...toPipeline(row, ctx.apiBase, row.updatedAt), webhook_secret: secret };
}

/** Soft delete: its builds keep naming it; its webhook answers 404 from now on. */
export const deletePipeline = (id: string, ctx: PipelineCtx): Promise<void> =>
  deleteSealedRow(PIPELINE_ROWS, id, ctx);
