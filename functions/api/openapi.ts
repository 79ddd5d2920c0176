import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })),
      request_id: z.string(),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The body is not JSON',
  401: 'Missing, invalid or expired token',
  403: 'A permission is missing; the message names it',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Too large',
  415: 'The body is not application/json',
  422: 'Failed validation; `fields` says where',
  429: 'Throttled; see Retry-After',
};

export function errorResponses(...statuses: (keyof typeof ERROR_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: ERROR_DESCRIPTIONS[s] ?? 'Error',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    ]),
  );
}

/** Refusals every authenticated route can give. */
export const authErrors = [400, 401, 403, 422] as const;

export const jsonBody = <T extends ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const jsonResponse = <T extends ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const Id = z.string().min(1).max(64);
export const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const listOf = <T extends ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

/** An event cursor: the chain position (`seq`) of the last audit event the caller holds. */
export const AfterSeq = z.coerce
  .number()
  .int()
  .min(0)
  .optional()
  .openapi({ description: 'The seq of the last event already held; only what came after it is listed' });
