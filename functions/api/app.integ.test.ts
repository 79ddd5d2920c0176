import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import { createApp, MAX_BODY_BYTES } from './app';

describe('HTTP conventions', () => {
  let p: TestPlatform;
  let token: string;
  beforeAll(async () => {
    p = await createTestPlatform('pglite');
    token = await p.adminToken();
  });
  afterAll(() => p.close());

  it('answers liveness without resolving any dependency', async () => {
    const app = createApp({ deps: () => Promise.reject(new Error('no database here')) });
    const res = await app.request('/api/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    // An unknown path is a 404 too, not a 500 from settings it never needed.
    const missing = await app.request('/api/v1/no/such/route');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    // A real route still needs its dependencies, and says so without leaking why.
    const real = await app.request('/api/v1/me');
    expect(real.status).toBe(500);
  });

  it('gives every response a request id and echoes it in errors', async () => {
    const res = await p.request('GET', '/no/such/route', { token });
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^req_/);
    expect(res.json).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such route', fields: [], request_id: id },
    });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await p.request('POST', '/projects', {
      token,
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BAD_REQUEST');
  });

  it('answers 422 with a path per bad field, in bodies and queries', async () => {
    const body = await p.request('POST', '/projects', { token, body: { name: 'Bad Name', extra: 1 } });
    expect(body.status).toBe(422);
    expect(body.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['extra', 'name']);
    const query = await p.request('GET', '/projects?limit=0', { token });
    expect(query.status).toBe(422);
    expect(query.json.error.fields[0].path).toBe('limit');
    const cursor = await p.request('GET', '/projects?cursor=bm9wZQ', { token });
    expect(cursor.status).toBe(422);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const res = await p.request('POST', '/projects', { token, body: { name: 'x'.repeat(MAX_BODY_BYTES) } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('pages lists with an opaque cursor', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      await p.request('POST', '/projects', { token, body: { name } });
    const first = await p.request('GET', '/projects?limit=2', { token });
    expect(first.json.items).toHaveLength(2);
    expect(first.json.next_cursor).toEqual(expect.any(String));
    const second = await p.request('GET', `/projects?limit=2&cursor=${first.json.next_cursor}`, { token });
    const names = [...first.json.items, ...second.json.items].map((x: { name: string }) => x.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
  });

  it('reports ready once the database answers and nothing is pending', async () => {
    const res = await p.request('GET', '/ready');
    expect(res.json).toEqual({ status: 'ready', database: 'pglite' });
  });

  it('publishes an OpenAPI 3.1 document that passes the recommended lint rules', async () => {
    const res = await p.request('GET', '/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    const ops = Object.values(res.json.paths as Record<string, Record<string, any>>).flatMap((i) =>
      Object.values(i),
    );
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const op of ops) {
      expect(op.summary, op.operationId).toBeTruthy();
      expect(op.tags?.length, op.operationId).toBeGreaterThan(0);
      expect(Array.isArray(op.security), op.operationId).toBe(true);
    }
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: res.text, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((x) => x.severity === 'error');
    expect(errors.map((e) => `${e.ruleId}: ${e.message} @ ${e.location[0]?.pointer}`)).toEqual([]);
  });
});
