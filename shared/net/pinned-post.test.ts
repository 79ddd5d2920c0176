import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PinnedPost, pinnedPost } from './pinned-post';

describe('a POST pinned to the checked address', () => {
  const seen: { host?: string; path?: string; body: string }[] = [];
  let status = 200;
  let reply = 'ok';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ host: req.headers.host, path: req.url, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/trickle') {
        // Headers at once, then a byte now and then: only a deadline on the whole exchange ends it.
        res.writeHead(200);
        const tick = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(tick));
        return;
      }
      if (status === 302) res.setHeader('location', 'http://169.254.169.254/');
      res.statusCode = status;
      res.end(reply);
    });
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  const post = (host: string, over: Partial<PinnedPost> = {}) =>
    pinnedPost({
      url: new URL(`http://${host}:${port}/in`),
      address: '127.0.0.1',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 5_000,
      ...over,
    });

  it('dials the pinned address whatever the name would resolve to, keeping the Host header', async () => {
    // `.invalid` never resolves: reaching the server proves the name was not looked up again.
    expect(await post('hooks.invalid')).toEqual({ ok: true, status: 200, excerpt: 'ok' });
    expect(seen.at(-1)).toEqual({ host: `hooks.invalid:${port}`, path: '/in', body: '{"a":1}' });
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

  it('gives up at the deadline, whether the receiver is silent or trickling', async () => {
    for (const path of ['/slow', '/trickle']) {
      const outcome = await post('hooks.invalid', {
        url: new URL(`http://hooks.invalid:${port}${path}`),
        timeoutMs: 300,
      });
      expect(outcome).toEqual({ ok: false, error: 'no answer within 300 ms' });
    }
  });

  it('reports a closed port as a failed connection', async () => {
    const outcome = await post('hooks.invalid', { url: new URL('http://hooks.invalid:9/in'), body: '' });
    expect(outcome).toEqual({ ok: false, error: 'connection failed (ECONNREFUSED)' });
  });
});
