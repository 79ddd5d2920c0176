import { describe, expect, it } from 'vitest';
import { createApp } from './app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('domains built on first use', () => {
  it('serve every documented route from the group its first path segment names', async () => {
    const app = createApp({ deps: () => Promise.reject(new Error('no database here')) });
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m]).map((m) => ({ method: m.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(80);
    const unserved: string[] = [];
    for (const { method, path } of routes) {
      const res = await app.request(`/api/v1${path.replaceAll(/\{[^}]+\}/g, 'x')}`, { method });
      // A route that exists asks for its dependencies first, and these refuse: 500. Liveness needs none.
      const expected = path === '/health' ? 200 : 500;
      if (res.status !== expected) unserved.push(`${method} ${path}: ${res.status}`);
    }
    expect(unserved).toEqual([]);
  });

  it('answers an unknown segment, and an unknown path under a known one, with the same 404', async () => {
    const app = createApp({ deps: () => Promise.reject(new Error('no database here')) });
    // Twice: the first request under a segment builds its domain, the second goes straight to it.
    const paths = ['/api/v1/nothing', '/api/v1/projects/x/nothing', '/api/v1/me/nothing'];
    for (const path of [...paths, ...paths]) {
      const res = await app.request(path, { headers: { 'X-Request-Id': 'req_given' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('req_given');
      expect(await res.json()).toEqual({
        error: { code: 'NOT_FOUND', message: 'no such route', fields: [], request_id: 'req_given' },
      });
    }
  });
});
