import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedPost } from './pinned-post';

describe('a POST pinned to the checked address', () => {
  const seen: { host?: string; path?: string; body: string }[] = [];
  let port = 0;
  let answer = 204;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ host: req.headers.host, path: req.url, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/redirect') return res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      res.writeHead(answer).end('ok');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });

  it('dials the given address, not what the name resolves to, keeping the Host header', async () => {
    // `.invalid` never resolves: reaching the server proves the name was not looked up again.
    const url = new URL(`http://provider.invalid:${port}/hook`);
    answer = 202;
    const r = await pinnedPost(url, '127.0.0.1', { headers: {}, body: '{"ref":"main"}', timeoutMs: 5_000 });
    expect(r.status).toBe(202);
    expect(seen.at(-1)).toEqual({ host: `provider.invalid:${port}`, path: '/hook', body: '{"ref":"main"}' });
  });

  it('does not follow redirects, and gives up at the deadline', async () => {
    const r = await pinnedPost(new URL(`http://127.0.0.1:${port}/redirect`), '127.0.0.1', {
      headers: {},
      body: '',
      timeoutMs: 5_000,
    });
    expect(r.status).toBe(302);
    await expect(
      pinnedPost(new URL(`http://127.0.0.1:${port}/slow`), '127.0.0.1', {
        headers: {},
        body: '',
        timeoutMs: 300,
      }),
    ).rejects.toThrow('no answer within 300 ms');
  });
});
