import type { KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { claimAad, generateSealingKeyPair, openBox } from '../../shared/crypto/sealed-box';
import { type ClaimedJob, WorkOrder } from '../../shared/jobs/claim';
import { ClaimJobResponse } from '../../shared/runner/protocol';
import { composeVars } from './governance';
import { recordResponse, registerSecret } from './leak-guard';
import type { TestPlatform } from './platform';

export type TestRunner = {
  id: string;
  poolId: string;
  token: string;
  privateKey: KeyObject;
  call(method: string, path: string, body?: unknown): ReturnType<TestPlatform['request']>;
  claim(waitSeconds?: number): Promise<ClaimedJob | null>;
  open(claim: ClaimedJob): WorkOrder;
};

/**
 * For the responses that show a token once (registration token, register, rotate): the 2xx body
 * legitimately holds it and is not recorded; a refusal holds none and is checked like any other.
 */
export async function showOnce(
  p: Pick<TestPlatform, 'app'>,
  method: string,
  path: string,
  req: { token?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  const res = await p.app.request(`/api/v1${path}`, {
    method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  const text = await res.text();
  if (res.status >= 300) recordResponse(text);
  const json = JSON.parse(text);
  for (const k of ['token', 'runner_token']) if (res.status < 300 && json[k]) registerSecret(json[k]);
  return { status: res.status, json, text };
}

/** Mints a registration token for the pool and registers a runner with a fresh sealing key. */
export async function registerRunner(p: TestPlatform, admin: string, poolId: string, name = 'r1') {
  const t = await showOnce(p, 'POST', `/runner-pools/${poolId}/registration-tokens`, {
    token: admin,
    body: {},
  });
  expect(t.status).toBe(201);
  const keys = generateSealingKeyPair();
  const reg = await showOnce(p, 'POST', '/runner/register', {
    body: { registration_token: t.json.token, name, labels: { zone: 'a' }, public_key: keys.publicKey },
  });
  expect(reg.status, reg.text).toBe(201);
  return runnerOf(p, reg.json.runner_id, poolId, reg.json.runner_token, keys.privateKey);
}

export function runnerOf(
  p: TestPlatform,
  id: string,
  poolId: string,
  token: string,
  privateKey: KeyObject,
): TestRunner {
  const call = (method: string, path: string, body?: unknown) =>
    p.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  return {
    id,
    poolId,
    token,
    privateKey,
    call,
    async claim(waitSeconds = 0) {
      const r = await call('POST', '/runner/jobs/claim', { wait_seconds: waitSeconds });
      if (r.status === 204) return null;
      expect(r.status, r.text).toBe(200);
      // Every claim the platform gives in a test is checked against the protocol the runner reads.
      return ClaimJobResponse.parse(r.json);
    },
    open(claim) {
      const plain = openBox(privateKey, claim.sealed, claimAad(claim.job.id, claim.job.lease_token));
      return WorkOrder.parse(JSON.parse(plain.toString('utf8')));
    },
  };
}

export async function createPool(p: TestPlatform, admin: string, name: string, projectId?: string) {
  const r = await p.request('POST', '/runner-pools', {
    token: admin,
    body: { name, ...(projectId ? { project_id: projectId } : {}) },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.id as string;
}

/**
 * Previews and applies a compose release of `service` on `target` with a fresh secret (registered
 * with the leak guard by `composeVars`); returns the release id and that secret.
 */
export async function applyComposeRelease(p: TestPlatform, token: string, service: string, target: string) {
  const variables = composeVars(`1.${Date.now() % 100000}`);
  const pv = await p.request('POST', '/deploy/releases/preview', {
    token,
    body: { service_id: service, target_id: target, variables },
  });
  expect(pv.status, pv.text).toBe(201);
  const ap = await p.request('POST', '/deploy/releases/apply', {
    token,
    body: { preview_ref: pv.json.preview_ref },
  });
  expect(ap.status, ap.text).toBe(202);
  return { id: pv.json.release_id as string, secret: variables.API_KEY };
}
