import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { conditionalJson, etagOf, matches } from './etag';

/** An API Gateway HTTP API (payload 2.0) request, the shape the Lambda handler receives. */
const httpApiEvent = (headers: Record<string, string>) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/timeline',
  rawQueryString: '',
  headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com', ...headers },
  requestContext: {
    http: { method: 'GET', path: '/timeline', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 't' },
    requestId: 'r1',
    routeKey: '$default',
    stage: '$default',
    domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
    timeEpoch: 0,
  },
  isBase64Encoded: false,
});

describe('conditional GET tags', () => {
  it('change with any change of the body and only then', () => {
    const a = etagOf({ items: [{ seq: 1, status: 'running' }] });
    expect(etagOf({ items: [{ seq: 1, status: 'running' }] })).toBe(a);
    expect(etagOf({ items: [{ seq: 1, status: 'succeeded' }] })).not.toBe(a);
    expect(a).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('match If-None-Match lists, weak forms and *, and nothing else', () => {
    const tag = etagOf({ x: 1 });
    expect(matches(tag, tag)).toBe(true);
    expect(matches(`"other", W/${tag}`, tag)).toBe(true);
    expect(matches('*', tag)).toBe(true);
    expect(matches('"other"', tag)).toBe(false);
    expect(matches(undefined, tag)).toBe(false);
    expect(matches('', tag)).toBe(false);
  });
});

describe('conditional GETs on Lambda behind an HTTP API', () => {
  it('send the ETag as a plain header and answer 304 without a body to a matching If-None-Match', async () => {
    const body = { release_id: 'rel_1', items: [{ seq: 3 }] };
    const handler = handle(new Hono().get('/timeline', (c) => conditionalJson(c, body)));
    const invoke = (headers: Record<string, string>) =>
      handler(httpApiEvent(headers) as never, {} as never) as Promise<{
        statusCode: number;
        body: string;
        headers: Record<string, string>;
      }>;
    const first = await invoke({});
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toEqual(body);
    const tag = first.headers.etag!;
    expect(tag).toBe(etagOf(body));
    const again = await invoke({ 'if-none-match': tag });
    expect([again.statusCode, again.body, again.headers.etag]).toEqual([304, '', tag]);
    expect((await invoke({ 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });
});
