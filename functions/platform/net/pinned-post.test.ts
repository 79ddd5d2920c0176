import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedPost } from './pinned-post';

describe('pinnedPost', () => {
  const seen: { host: string | undefined; body: string }[] = [];
  let status = 200;
  let reply = 'ok';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ host: req.headers.host, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      if (status === 302) res.setHeader('location', 'http://169.254.169.254/');
      res.end(reply);
    });
  });
  let port = 0;
  beforeAll(
    () =>
      new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          port = (server.address() as AddressInfo).port;
          resolve();
        }),
      ),
  );
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const post = (host: string, over: Partial<Parameters<typeof pinnedPost>[0]> = {}) =>
    pinnedPost({
      url: new URL(`http://${host}:${port}/in`),
      address: '127.0.0.1',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2000,
      ...over,
    });

  it('dials the pinned address whatever the name would resolve to, keeping the Host header', async () => {
    // `.invalid` never resolves: only the pinned address can have been dialled.
    const outcome = await post('hooks.invalid');
    expect(outcome).toEqual({ ok: true, status: 200, excerpt: 'ok' });
    expect(seen.at(-1)).toEqual({ host: `hooks.invalid:${port}`, body: '{"a":1}' });
  });

  it('answers a redirect as it came, without following it', async () => {
    status = 302;
    reply = '';
    try {
      const before = seen.length;
      expect(await post('hooks.invalid')).toEqual({ ok: true, status: 302, excerpt: '' });
      expect(seen.length).toBe(before + 1);
    } finally {
      status = 200;
      reply = 'ok';
    }
  });

  it('keeps only the start of a long answer', async () => {
    reply = 'x'.repeat(100_000);
    try {
      const outcome = await post('hooks.invalid');
      expect(outcome.ok && outcome.excerpt.length).toBe(256);
    } finally {
      reply = 'ok';
    }
  });

  it('reports a closed port as a failed connection', async () => {
    const outcome = await pinnedPost({
      url: new URL('http://hooks.invalid:9/in'),
      address: '127.0.0.1',
      headers: {},
      body: '',
      timeoutMs: 2000,
    });
    expect(outcome).toEqual({ ok: false, error: 'connection failed (ECONNREFUSED)' });
  });
});
