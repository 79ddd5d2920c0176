import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProblem, NetworkError, RunnerClient } from './client';

type Seen = { path: string; auth: string | undefined; body: Record<string, unknown> };
let server: Server | undefined;

async function serve(answer: (n: number, req: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const c of req) text += c;
    const s = { path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(text || '{}') };
    seen.push(s);
    answer(seen.length, s, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { seen, api: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const problem = (code: string, message: string) => ({
  error: { code, message, fields: [], request_id: 'req_1' },
});
const fast = { baseMs: 1, maxMs: 5 };
const registration = {
  registration_token: 'reg_0123456789abcdef0123',
  name: 'r',
  labels: {},
  public_key: 'k',
  version: '0',
};

describe('runner API client', () => {
  it('retries 5xx and 429 with backoff, then returns the answer', async () => {
    const { seen, api } = await serve((n, _s, res) => {
      if (n === 1) return json(res, 503, problem('NOT_READY', 'later'));
      if (n === 2) return json(res, 429, problem('THROTTLED', 'slow down'));
      json(res, 201, { runner_id: 'r1', runner_token: 'rt_x', runner_pool_id: 'p1', extra: 1 });
    });
    const out = await new RunnerClient({ api, backoff: fast }).register(registration);
    expect(out).toEqual({ runner_id: 'r1', runner_token: 'rt_x', runner_pool_id: 'p1' });
    expect(seen.map((s) => s.path)).toEqual(Array(3).fill('/api/v1/runner/register'));
    expect(seen[0]!.auth).toBeUndefined();
  });

  it('never retries a 4xx, and its error carries the server message, not the request', async () => {
    const { seen, api } = await serve((_n, _s, res) =>
      json(res, 409, problem('CONFLICT', 'token already used')),
    );
    const err = await new RunnerClient({ api, backoff: fast }).register(registration).catch((e) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect(err).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      message: 'token already used',
      requestId: 'req_1',
    });
    expect(String(err.stack)).not.toContain(registration.registration_token);
    expect(seen).toHaveLength(1);
  });

  it('sends NUL and lone surrogates in command output as U+FFFD, which the platform accepts', async () => {
    const { seen, api } = await serve((_n, _s, res) => json(res, 200, { recorded: true }));
    const client = new RunnerClient({ api, token: 'rt_secret_token_value' });
    await client.step('job_1', 1, {
      name: 'up',
      attempt: 1,
      status: 'failed',
      output: 'a\u0000b\udfff \ud83d\ude80',
    });
    expect(seen[0]!.body.output).toBe('a\uFFFDb\uFFFD \ud83d\ude80');
  });

  it('claims with the bearer token and reads 204 as no job', async () => {
    const { seen, api } = await serve((_n, _s, res) => res.writeHead(204).end());
    const client = new RunnerClient({ api, token: 'rt_secret_token_value' });
    expect(await client.claim(3)).toBeNull();
    expect(seen[0]).toMatchObject({
      path: '/api/v1/runner/jobs/claim',
      auth: 'Bearer rt_secret_token_value',
      body: { wait_seconds: 3 },
    });
  });

  it('times a request out and retries a heartbeat a bounded number of times', async () => {
    const { seen, api } = await serve(() => {});
    const client = new RunnerClient({ api, token: 't', timeoutMs: 100, backoff: fast });
    const err = await client.heartbeat('job_1', 4).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('request timed out');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.body).toEqual({ lease_token: 4 });
  });

  it('names a refused connection and a non-JSON error', async () => {
    const { api } = await serve((_n, _s, res) =>
      res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>no</h1>'),
    );
    const bad = await new RunnerClient({ api, token: 't' })
      .complete('job_1', 1, { status: 'succeeded' })
      .catch((e) => e);
    expect(bad).toMatchObject({ status: 400, code: 'HTTP_400', message: 'the platform answered 400' });

    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
    const down = await new RunnerClient({ api, backoff: fast }).register(registration).catch((e) => e);
    expect(down).toBeInstanceOf(NetworkError);
    expect(down.code).toBe('ECONNREFUSED');
  });
});
