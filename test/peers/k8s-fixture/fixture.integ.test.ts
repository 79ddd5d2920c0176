/**
 * The Kubernetes API fixture refuses what a real API server refuses; otherwise an adapter test
 * passing against it would prove little. Raw HTTPS requests, so nothing in between smooths them.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type K8sFixture, startK8sFixture } from './server';

let f: K8sFixture;
beforeAll(async () => {
  f = await startK8sFixture({ namespaces: ['shop'] });
});
afterAll(() => f?.stop());

type Res = { status: number; body: any };
function call(
  method: string,
  path: string,
  o: { body?: unknown; type?: string; auth?: string | null; cert?: [string, string] } = {},
): Promise<Res> {
  const headers: Record<string, string> = {};
  if (o.auth !== null) headers.authorization = o.auth ?? `Bearer ${f.token}`;
  if (o.type) headers['content-type'] = o.type;
  const payload =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  // Without a length Node sends a DELETE body unframed, which no server can read.
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = request(
      `${f.url}${path}`,
      { method, headers, ca: f.ca, ...(o.cert ? { cert: o.cert[0], key: o.cert[1] } : {}), timeout: 5_000 },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const APPLY = 'application/apply-patch+yaml';
const cm = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  data: { a: '1' },
});
const cmPath = (name: string, ns = 'shop') => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const apply = (name: string, body: unknown, query = '?fieldManager=t', type = APPLY) =>
  call('PATCH', `${cmPath(name)}${query}`, { body, type });

describe('k8s fixture', () => {
  it('creates with 201, then answers a re-apply with 200 without bumping resourceVersion', async () => {
    const first = await apply('a', cm('a', 'shop'));
    const again = await apply('a', cm('a', 'shop'));
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it.each([
    ['a wrong token', { auth: 'Bearer nope' }, 401, 'Unauthorized'],
    ['no credentials', { auth: null }, 403, 'Forbidden'],
  ])('refuses %s', async (_, o, status, reason) => {
    const res = await call('GET', '/api/v1', o as { auth: string | null });
    expect(res).toMatchObject({ status, body: { kind: 'Status', reason } });
  });

  it('refuses a client certificate from another CA, takes one from its client CA', async () => {
    expect((await call('GET', '/api/v1', { auth: null, cert: [f.foreignCert, f.foreignKey] })).status).toBe(
      401,
    );
    expect((await call('GET', '/api/v1', { auth: null, cert: [f.clientCert, f.clientKey] })).status).toBe(
      200,
    );
  });

  it('answers anonymous /version, as a real server does', async () => {
    expect(await call('GET', '/version', { auth: null })).toMatchObject({
      status: 200,
      body: { gitVersion: 'v1.31.4' },
    });
  });

  it.each([
    [
      'another patch type',
      () => apply('b', cm('b'), '?fieldManager=t', 'application/merge-patch+json'),
      415,
      'UnsupportedMediaType',
    ],
    ['no fieldManager', () => apply('b', cm('b'), ''), 422, 'Invalid'],
    ['a namespace other than the URL', () => apply('b', cm('b', 'other')), 400, 'BadRequest'],
    ['a name other than the URL', () => apply('b', cm('c')), 400, 'BadRequest'],
    ['a kind other than the URL', () => apply('b', { ...cm('b'), kind: 'Secret' }), 400, 'BadRequest'],
    [
      'a missing namespace',
      () => call('PATCH', `${cmPath('b', 'nope')}?fieldManager=t`, { body: cm('b'), type: APPLY }),
      404,
      'NotFound',
    ],
    ['an unknown resource', () => call('GET', '/api/v1/namespaces/shop/widgets'), 404, 'NotFound'],
    ['an unknown group', () => call('GET', '/apis/example.com/v1'), 404, 'NotFound'],
    [
      'a method the resource does not allow',
      () => call('DELETE', '/api/v1/namespaces/shop/pods/p'),
      405,
      'MethodNotAllowed',
    ],
    [
      'an invalid label value',
      () => apply('b', { ...cm('b'), metadata: { name: 'b', labels: { x: 'has space' } } }),
      422,
      'Invalid',
    ],
    [
      'Secret data that is not base64',
      () =>
        call('PATCH', '/api/v1/namespaces/shop/secrets/s?fieldManager=t', {
          body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'not base64!' } },
          type: APPLY,
        }),
      400,
      'BadRequest',
    ],
  ])('refuses %s', async (_, send, status, reason) => {
    const res = await send();
    expect(res).toMatchObject({ status, body: { kind: 'Status', status: 'Failure', reason } });
    expect(f.objects().some((o) => o.metadata.name === 'b' || o.metadata.name === 's')).toBe(false);
  });

  it('refuses a second manager changing a field it does not own, unless forced', async () => {
    await apply('owned', cm('owned'));
    const other = { ...cm('owned'), data: { a: '2' } };
    const conflict = await call('PATCH', `${cmPath('owned')}?fieldManager=other`, {
      body: other,
      type: APPLY,
    });
    expect(conflict).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    const forced = await call('PATCH', `${cmPath('owned')}?fieldManager=other&force=true`, {
      body: other,
      type: APPLY,
    });
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ a: '2' });
  });

  it('bumps generation only when spec changes, and refuses a changed selector', async () => {
    const dep = (image: string, app = 'web') => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image }] } },
      },
    });
    const path = '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=t';
    const a = await call('PATCH', path, { body: dep('i:1'), type: APPLY });
    const labelsOnly = await call('PATCH', path, {
      body: { ...dep('i:1'), metadata: { name: 'web', labels: { x: 'y' } } },
      type: APPLY,
    });
    const b = await call('PATCH', path, { body: dep('i:2'), type: APPLY });
    expect([
      a.body.metadata.generation,
      labelsOnly.body.metadata.generation,
      b.body.metadata.generation,
    ]).toEqual([1, 1, 2]);
    expect((await call('PATCH', path, { body: dep('i:2', 'api'), type: APPLY })).status).toBe(422);
  });

  it('honours a delete uid precondition', async () => {
    await apply('gone', cm('gone'));
    const body = { preconditions: { uid: 'not-the-uid' } };
    const refused = await call('DELETE', cmPath('gone'), { body, type: 'application/json' });
    expect(refused).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    expect((await call('DELETE', cmPath('gone'))).status).toBe(200);
    expect((await call('GET', cmPath('gone'))).status).toBe(404);
  });

  it('lists by equality label selector and refuses set-based ones it does not implement', async () => {
    await apply('l1', { ...cm('l1'), metadata: { name: 'l1', labels: { team: 'a' } } });
    const list = await call('GET', '/api/v1/namespaces/shop/configmaps?labelSelector=team%3Da');
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(['l1']);
    expect(list.body.items[0].kind).toBeUndefined();
    expect(
      (await call('GET', '/api/v1/namespaces/shop/configmaps?labelSelector=team%20in%20(a)')).status,
    ).toBe(400);
  });
});
