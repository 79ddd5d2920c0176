import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { claimAad, generateSealingKeyPair, seal } from '../shared/crypto/sealed-box';
import { ApiProblem, isRetryable, NetworkError, ProtocolMismatch, RunnerClient } from './client';

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

  describe('claim answers are read with the shared protocol schema', () => {
    const claimed = () => ({
      job: {
        id: 'job_1',
        kind: 'release_apply',
        kind_version: 1,
        attempt: 1,
        lease_token: 3,
        lease_expires_at: '2026-01-01T00:00:30.000Z',
        payload: {},
      },
      sealed: seal(
        generateSealingKeyPair().publicKey,
        Buffer.from('{"kind":"release_apply"}'),
        claimAad('job_1', 3),
      ),
    });
    const claimWith = async (body: unknown) => {
      const { api } = await serve((_n, _s, res) => json(res, 200, body));
      return new RunnerClient({ api, token: 't' }).claim(0).catch((e) => e);
    };

    it('returns a claim that matches, kind and sealed box included', async () => {
      const body = claimed();
      expect(await claimWith(body)).toEqual(body);
    });

    it('refuses a claim whose sealed box lacks its ciphertext, naming the field and no value', async () => {
      const body = claimed();
      const { ct: _, ...sealed } = body.sealed;
      const err = await claimWith({ ...body, sealed });
      expect(err).toBeInstanceOf(ProtocolMismatch);
      expect(err.fields).toEqual(['sealed.ct']);
      expect(err.message).toContain('sealed.ct');
      for (const value of Object.values(sealed)) expect(String(err.stack)).not.toContain(value);
      expect(isRetryable(err)).toBe(true);
    });

    it('refuses a ciphertext of the wrong type and a lease token that is not a number', async () => {
      const body = claimed();
      const err = await claimWith({
        job: { ...body.job, lease_token: '3' },
        sealed: { ...body.sealed, ct: 42 },
      });
      expect(err).toBeInstanceOf(ProtocolMismatch);
      expect([...err.fields].sort()).toEqual(['job.lease_token', 'sealed.ct']);
    });

    it('takes a claim of a kind it has no definition for: the kinds belong to the job definitions', async () => {
      const body = claimed();
      const out = await claimWith({ ...body, job: { ...body.job, kind: 'backup_restore' } });
      expect(out.job.kind).toBe('backup_restore');
    });

    it("refuses a completion answer that is not the protocol's", async () => {
      const { api } = await serve((_n, _s, res) => json(res, 200, { ok: true }));
      const err = await new RunnerClient({ api, token: 't' })
        .complete('job_1', 1, { status: 'succeeded' })
        .catch((e) => e);
      expect(err).toBeInstanceOf(ProtocolMismatch);
      expect([...err.fields].sort()).toEqual(['job_id', 'status']);
    });
  });
});
