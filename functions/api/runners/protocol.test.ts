import { describe, expect, it } from 'vitest';
import { type ZodType, z } from 'zod';
import {
  ClaimJobRequest,
  ClaimJobResponse,
  CompleteJobRequest,
  CompleteJobResponse,
  HeartbeatJobRequest,
  HeartbeatJobResponse,
  RegisterRunnerRequest,
  RegisterRunnerResponse,
  ReportJobStepRequest,
  ReportJobStepResponse,
} from '../../../shared/runner/protocol';
import { runnersRoutes } from './routes';

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
};

/** What a client relies on: fields, which are required, and the patterns and values allowed. */
function outline(s: JsonSchema): unknown {
  if (s.properties)
    return {
      required: [...(s.required ?? [])].sort(),
      properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, outline(v)])),
    };
  return {
    type: s.type,
    // A date-time is a format in one generator and a format plus its regex in the other.
    pattern: s.format ? undefined : s.pattern,
    enum: s.enum ?? (s.const === undefined ? undefined : [s.const]),
  };
}

const doc = runnersRoutes.getOpenAPI31Document({
  openapi: '3.1.0',
  info: { title: 'runners', version: '1' },
});
const operation = (path: string) => (doc.paths as Record<string, { post: Record<string, any> }>)[path]!.post;
const bodyOf = (path: string): JsonSchema => operation(path).requestBody.content['application/json'].schema;
const okOf = (path: string): JsonSchema => {
  const responses = operation(path).responses;
  return (responses['200'] ?? responses['201']).content['application/json'].schema;
};

const PROTOCOL: [string, string, ZodType, ZodType][] = [
  ['/runner/register', 'register', RegisterRunnerRequest, RegisterRunnerResponse],
  ['/runner/jobs/claim', 'claim', ClaimJobRequest, ClaimJobResponse],
  ['/runner/jobs/{id}/heartbeat', 'heartbeat', HeartbeatJobRequest, HeartbeatJobResponse],
  ['/runner/jobs/{id}/steps', 'steps', ReportJobStepRequest, ReportJobStepResponse],
  ['/runner/jobs/{id}/complete', 'complete', CompleteJobRequest, CompleteJobResponse],
];

describe('the runner protocol in the OpenAPI document', () => {
  it.each(PROTOCOL)('documents %s (%s) with the shared request and response schemas', (path, _, req, res) => {
    expect(outline(bodyOf(path))).toEqual(outline(z.toJSONSchema(req, { io: 'input' }) as JsonSchema));
    expect(outline(okOf(path))).toEqual(outline(z.toJSONSchema(res, { io: 'output' }) as JsonSchema));
  });

  it('documents the claimed job and its sealed box field by field, not as an open object', () => {
    const claim = okOf('/runner/jobs/claim');
    expect(claim.properties?.sealed?.required).toEqual(['alg', 'epk', 'iv', 'ct', 'tag']);
    expect(claim.properties?.job?.properties?.kind?.pattern).toBe('^[a-z][a-z0-9_]{0,63}$');
  });
});
