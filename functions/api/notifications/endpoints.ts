import type {
  CreateEndpointRequest,
  Endpoint,
  EndpointWithSecret,
  PatchEndpointRequest,
} from '../../../shared/contracts/notifications';
import { checkOutboundUrl, type OutboundRule } from '../../../shared/net/outbound-guard';
import { newId } from '../../platform/ids';
import { openSecretString, sealSecretString } from '../../platform/keys/sealed-secret';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { invalid, notFound } from '../errors';
import { findProject } from '../projects/repo';
import { deleteSealedRow, rotateSealedSecret, type SealedRows } from '../sealed-rows';
import { type EndpointRow, insertEndpoint, lockEndpoint, updateEndpoint } from './repo';
import { newSigningSecret } from './sign';

/** A name lookup, replaceable so tests can make a name resolve where they need it to. */
export type Lookup = (host: string) => Promise<{ address: string }[]>;

/** Endpoint services need the key provider (the signing secret) and the outbound address rule. */
export type EndpointCtx = ServiceCtx & { keys: KeyProvider; outbound: OutboundRule; lookup?: Lookup };

export const toEndpoint = (e: EndpointRow): Endpoint => ({
  id: e.id,
  project_id: e.projectId,
  url: e.url,
  events: e.events,
  secret_rotated_at: e.secretRotatedAt.toISOString(),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

/** The context an endpoint's secret is sealed to: moved to another row, it does not open. */
export const endpointSecretContext = (e: Pick<EndpointRow, 'id' | 'projectId'>): EncryptionContext => ({
  purpose: 'notification_secret',
  project_id: e.projectId,
  endpoint_id: e.id,
});

const sealSecret = (keys: KeyProvider, e: Pick<EndpointRow, 'id' | 'projectId'>, secret: string) =>
  sealSecretString(keys, secret, endpointSecretContext(e));

export const openSigningSecret = (keys: KeyProvider, e: EndpointRow): Promise<string> =>
  openSecretString(keys, e.secretEnvelope, endpointSecretContext(e));

/** SPEC §7.2: a URL the platform may not call is refused when saved (and again at each try). */
async function checkUrl(url: string, ctx: EndpointCtx): Promise<void> {
  const check = await checkOutboundUrl(url, ctx.outbound, ctx.lookup);
  if (!check.ok) throw invalid('url', check.reason);
}

export async function createEndpoint(
  input: CreateEndpointRequest,
  ctx: EndpointCtx,
): Promise<EndpointWithSecret> {
  // Resolved outside the transaction: a slow name server must not hold the audit chain's lock.
  await checkUrl(input.url, ctx);
  return ctx.db.transaction(async (tx) => {
    const project = await findProject(tx, input.project_id);
    if (!project || project.deletedAt) throw invalid('project_id', 'no such project');
    const now = ctx.clock.now();
    const id = newId('nep');
    const secret = newSigningSecret();
    const event = await recordEvent(tx, ctx.clock, {
      action: 'notification_endpoint.created',
      resourceType: 'notification_endpoint',
      resourceId: id,
      projectId: input.project_id,
      actor: ctx.actor,
      detail: { url: input.url, events: input.events },
    });
    const row: EndpointRow = {
      id,
      projectId: input.project_id,
      url: input.url,
      events: [...new Set(input.events)],
      secretEnvelope: await sealSecret(ctx.keys, { id, projectId: input.project_id }, secret),
      secretRotatedAt: now,
      // Its own creation event is the last one it does not receive.
      fromSeq: event.seq,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await insertEndpoint(tx, row);
    return { ...toEndpoint(row), secret };
  });
}

export async function patchEndpoint(
  id: string,
  input: PatchEndpointRequest,
  ctx: EndpointCtx,
): Promise<Endpoint> {
  if (input.url !== undefined) await checkUrl(input.url, ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, id);
    if (!current) throw notFound('notification endpoint');
    const set: Partial<Pick<EndpointRow, 'url' | 'events'>> = {};
    const changed: string[] = [];
    if (input.url !== undefined && input.url !== current.url) {
      set.url = input.url;
      changed.push('url');
    }
    const events = input.events && [...new Set(input.events)];
    if (events && events.join('\n') !== current.events.join('\n')) {
      set.events = events;
      changed.push('events');
    }
    if (!changed.length) return toEndpoint(current);
    const now = ctx.clock.now();
    await updateEndpoint(tx, id, set, now);
    await recordEvent(tx, ctx.clock, {
      action: 'notification_endpoint.updated',
      resourceType: 'notification_endpoint',
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
      detail: { changed, ...set },
    });
    return toEndpoint({ ...current, ...set, updatedAt: now });
  });
}

const ENDPOINT_ROWS: SealedRows<EndpointRow> = {
  audit: {
    resourceType: 'notification_endpoint',
    rotated: 'notification_endpoint.secret_rotated',
    deleted: 'notification_endpoint.deleted',
  },
  noun: 'notification endpoint',
  lock: lockEndpoint,
  update: updateEndpoint,
  seal: sealSecret,
};

/** A new secret, shown once; tries from now on are signed with it. */
export async function rotateEndpointSecret(id: string, ctx: EndpointCtx): Promise<EndpointWithSecret> {
  const { row, secret } = await rotateSealedSecret(ENDPOINT_ROWS, id, ctx, () => newSigningSecret());
  return { ...toEndpoint(row), secret };
}

/** Soft delete: its deliveries stay listed, pending ones end at their next try. */
export const deleteEndpoint = (id: string, ctx: EndpointCtx): Promise<void> =>
  deleteSealedRow(ENDPOINT_ROWS, id, ctx);
