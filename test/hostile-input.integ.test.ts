import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../functions/api/app';
import { fieldPath } from '../functions/api/middleware/errors';
import { backends } from './support/databases';
import { createTestPlatform, type TestPlatform } from './support/platform';
import { registerRunner } from './support/runners';

/**
 * SPEC §7.5 over the whole API: every route of the OpenAPI document gets NUL and a lone surrogate
 * in each string of its body schema, each path parameter and each query parameter, and a body in
 * another media type. Nothing may answer 5xx; a hostile string is a 422 naming its field.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: string };
type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

// The document is served before any dependency is resolved, so the cases are known at collection.
const doc = (await (
  await createApp({ deps: () => Promise.reject(new Error('not needed')) }).request('/api/v1/openapi.json')
).json()) as Doc;

const HOSTILE = { NUL: 'a\u0000b', 'a lone surrogate': 'a\udfffb' } as const;
/** A key for records (`variables`, `labels`): its value is what the schema describes. */
const RECORD_KEY = 'TAG';

/** Every path to a string in a body schema; a record contributes one key, an array its first item. */
function stringPaths(
  schema: Schema | undefined,
  path: (string | number)[] = [],
  depth = 0,
): (string | number)[][] {
  if (!schema || depth > 8) return [];
  if (schema.$ref)
    return stringPaths(doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], path, depth + 1);
  const out: (string | number)[][] = [];
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    out.push(...stringPaths(s, path, depth + 1));
  const isString =
    [schema.type].flat().includes('string') ||
    typeof schema.const === 'string' ||
    (schema.enum ?? []).some((v) => typeof v === 'string');
  if (isString) out.push(path);
  for (const [k, s] of Object.entries(schema.properties ?? {}))
    out.push(...stringPaths(s, [...path, k], depth + 1));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    out.push(...stringPaths(schema.additionalProperties, [...path, RECORD_KEY], depth + 1));
  if (schema.items) out.push(...stringPaths(schema.items, [...path, 0], depth + 1));
  return [...new Map(out.map((p) => [fieldPath(p), p])).values()];
}

/** The value at `path` in an otherwise empty body. */
function bodyWith(path: (string | number)[], value: unknown): unknown {
  return path.reduceRight<unknown>(
    (inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }),
    value,
  );
}

type Case = { method: string; template: string; op: Operation };
const OPERATIONS: Case[] = Object.entries(doc.paths).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), template, op })),
);

describe.each(await backends())('hostile input on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let runnerToken: string;
  /** Real ids by the first segment of a path, so resource lookups could succeed. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    const project = await p.request('POST', '/projects', { token: admin, body: { name: 'hostile' } });
    const pool = await p.request('POST', '/runner-pools', {
      token: admin,
      body: { name: 'hostile-pool', project_id: project.json.id },
    });
    expect(pool.status, pool.text).toBe(201);
    const runner = await registerRunner(p, admin, pool.json.id);
    runnerToken = runner.token;
    Object.assign(ids, { projects: project.json.id, 'runner-pools': pool.json.id, runners: runner.id });
  }, 180_000);
  afterAll(() => p?.close());

  function tokenFor(op: Operation) {
    const scheme = Object.keys(op.security?.[0] ?? {})[0];
    return scheme === 'runnerToken' ? runnerToken : scheme ? admin : undefined;
  }

  /** The path with each parameter filled, `hostile` (already URL-encoded) in the one named. */
  function pathOf(template: string, param?: string, hostile?: string) {
    const first = template.split('/')[1] ?? '';
    return template.replace(/\{([^}]+)\}/g, (_, name: string) =>
      name === param && hostile !== undefined ? hostile : (ids[first] ?? 'x_unknown'),
    );
  }

  it.each(OPERATIONS)(
    '$method $template refuses NUL and lone surrogates on every field',
    async ({ method, template, op }) => {
      const token = tokenFor(op);
      const expect422 = async (
        what: string,
        path: string,
        res: Awaited<ReturnType<TestPlatform['request']>>,
      ) => {
        expect(res.status, `${what}: ${res.text}`).toBe(422);
        expect(res.json.error.code).toBe('VALIDATION_FAILED');
        expect(
          res.json.error.fields.map((f: { path: string }) => f.path),
          what,
        ).toContain(path);
      };

      for (const param of (op.parameters ?? []).filter((x) => x.in === 'path')) {
        const res = await p.request(method, pathOf(template, param.name, 'x%00y'), { token });
        await expect422(`path ${param.name}`, param.name, res);
        // A lone surrogate cannot be percent-encoded; its UTF-8 bytes (invalid UTF-8) must not break anything.
        const raw = await p.request(method, pathOf(template, param.name, '%ED%BF%BF'), { token });
        expect(raw.status, `path ${param.name} surrogate bytes: ${raw.text}`).toBeLessThan(500);
      }

      for (const param of (op.parameters ?? []).filter((x) => x.in === 'query')) {
        const res = await p.request(method, `${pathOf(template)}?${param.name}=x%00y`, { token });
        await expect422(`query ${param.name}`, param.name, res);
        const raw = await p.request(method, `${pathOf(template)}?${param.name}=%ED%BF%BF`, { token });
        expect(raw.status, `query ${param.name} surrogate bytes: ${raw.text}`).toBeLessThan(500);
      }

      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (schema) {
        for (const path of stringPaths(schema)) {
          for (const [name, value] of Object.entries(HOSTILE)) {
            const res = await p.request(method, pathOf(template), { token, body: bodyWith(path, value) });
            await expect422(`${name} in body ${fieldPath(path)}`, fieldPath(path), res);
          }
          if (path.at(-1) === RECORD_KEY) {
            const key = [...path.slice(0, -1), 'K\u0000'];
            const res = await p.request(method, pathOf(template), { token, body: bodyWith(key, 'v') });
            await expect422(`NUL in the key of ${fieldPath(path)}`, fieldPath(key), res);
          }
        }
        const plain = await p.request(method, pathOf(template), {
          token,
          rawBody: '{}',
          headers: { 'content-type': 'text/plain' },
        });
        expect(plain.status, `text/plain body: ${plain.text}`).toBe(415);
        expect(plain.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    },
  );

  it('finds string fields to sweep in the body schemas', () => {
    const withBodies = OPERATIONS.filter((o) => o.op.requestBody?.content?.['application/json']);
    const paths = withBodies.flatMap((o) =>
      stringPaths(o.op.requestBody?.content?.['application/json']?.schema).map(fieldPath),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['username', 'password', 'name', `variables.${RECORD_KEY}`]),
    );
  });

  it('names the field of a JSON-escaped NUL and lone surrogate in a raw body', async () => {
    const res = await p.request('POST', '/projects', {
      token: admin,
      rawBody: '{"name":"a\\u0000b","extra":"\\udfff"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual([
      { path: 'name', message: 'must not contain NUL characters' },
      { path: 'extra', message: 'must not contain unpaired surrogates' },
    ]);
  });

  it('refuses NUL in a login username with 422 before any attempt is counted', async () => {
    const res = await p.request('POST', '/auth/login', {
      body: { username: 'root\u0000admin', password: 'x' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields[0].path).toBe('username');
  });

  it('accepts JSON with a charset parameter', async () => {
    const res = await p.request('POST', '/projects', {
      token: admin,
      rawBody: JSON.stringify({ name: 'charset-ok' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status, res.text).toBe(201);
  });

  it('refuses a body in another media type with 415, and one without a content type', async () => {
    const plain = await p.request('POST', '/projects', {
      token: admin,
      rawBody: JSON.stringify({ name: 'plain' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(plain.json.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', fields: [] });
    const untyped = await p.request('POST', '/projects', {
      token: admin,
      rawBody: JSON.stringify({ name: 'u' }),
    });
    expect(untyped.status).toBe(415);
  });

  it('still accepts a body-less POST without a content type', async () => {
    const res = await p.request('POST', '/keys/rotate', { token: admin });
    expect(res.status, res.text).toBe(200);
  });
});
