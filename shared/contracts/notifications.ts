/**
 * Request and response schemas of outbound notifications (SPEC §7.2): endpoints a project's
 * audit events are delivered to, signed with Standard Webhooks, and the deliveries made.
 */
import { z } from 'zod';
import { eventPatternProblem, NOTIFIABLE_EVENTS, NOTIFIABLE_PREFIXES } from '../notifications/events';
import { AuditEvent } from './audit';

const Id = z.string().min(1).max(64);

const EndpointUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .meta({ example: 'https://hooks.example.com/k8s-manage' });

const EventPattern = z
  .string()
  .min(1)
  .max(128)
  .superRefine((value, ctx) => {
    const problem = eventPatternProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description: `An audit event name (${NOTIFIABLE_EVENTS.length} of them) or a prefix among ${NOTIFIABLE_PREFIXES.map((p) => `${p}*`).join(', ')}`,
    example: 'release.*',
  });

const Events = z.array(EventPattern).min(1).max(64);

export const CreateEndpointRequest = z.object({ project_id: Id, url: EndpointUrl, events: Events }).strict();
export type CreateEndpointRequest = z.infer<typeof CreateEndpointRequest>;

export const PatchEndpointRequest = z
  .object({ url: EndpointUrl.optional(), events: Events.optional() })
  .strict();
export type PatchEndpointRequest = z.infer<typeof PatchEndpointRequest>;

export const ListEndpointsQuery = z.object({ project_id: Id.optional() });

export const Endpoint = z.object({
  id: z.string(),
  project_id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  secret_rotated_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** Creation and rotation answer the signing secret (`whsec_<base64>`), once. */
export const EndpointWithSecret = Endpoint.extend({ secret: z.string() });
export type EndpointWithSecret = z.infer<typeof EndpointWithSecret>;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One try: when, the HTTP status when there was an answer, why it failed, a short masked excerpt. */
export const DeliveryAttempt = z.object({
  at: z.string(),
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  response_excerpt: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

/** What the receiver gets as the body, signed. */
export const NotificationPayload = z.object({
  id: z.string(),
  type: z.string(),
  occurred_at: z.string(),
  project_id: z.string(),
  data: AuditEvent,
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

export const Delivery = NotificationPayload.extend({
  endpoint_id: z.string(),
  status: DeliveryStatus,
  attempts: z.array(DeliveryAttempt),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Delivery = z.infer<typeof Delivery>;

export const ListDeliveriesQuery = z.object({
  project_id: Id.optional(),
  endpoint_id: Id.optional(),
  status: DeliveryStatus.optional(),
});
