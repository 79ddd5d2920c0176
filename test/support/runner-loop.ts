import { RunnerClient } from '../../runner/client';
import type { Executor } from '../../runner/dispatch';
import type { Logger } from '../../runner/log';
import { type LoopOptions, startLoop } from '../../runner/loop';
import { generateSealingKeyPair } from '../../shared/crypto/sealed-box';
import type { WorkOrder } from '../../shared/jobs/claim';
import type { FakePlatform } from './fake-platform';

/** Helpers the runner's tests share: a registered runner, a loop with short timings, a work order. */
/** Registers a runner straight through the protocol: its key pair and token, for loop tests. */
export async function registerRunner(platform: FakePlatform) {
  const { publicKey, privateKey } = generateSealingKeyPair();
  const res = await fetch(`${platform.url}/api/v1/runner/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      registration_token: platform.newRegistrationToken(),
      name: 'test',
      labels: {},
      public_key: publicKey,
      version: '0',
    }),
  });
  const body = (await res.json()) as { runner_token: string };
  return { privateKey, token: body.runner_token };
}

/** A loop for a freshly registered runner, with timings short enough for tests. */
export async function startTestLoop(
  p: FakePlatform,
  executor: Executor,
  log: Logger,
  opts: Partial<LoopOptions> = {},
) {
  const { privateKey, token } = await registerRunner(p);
  log.redactor.add(token);
  const fast = { baseMs: 5, maxMs: 20 };
  const api = new RunnerClient({ api: p.url, token, backoff: fast, timeoutMs: 2000 });
  const loop = startLoop({
    api,
    privateKey,
    executor,
    log,
    concurrency: 2,
    claimWaitSeconds: 1,
    minClaimIntervalMs: 20,
    minHeartbeatMs: 50,
    claimBackoff: fast,
    deliveryBackoff: { baseMs: 20, maxMs: 100 },
    graceMs: 5000,
    abortDeliveryMs: 1000,
    ...opts,
  });
  return { loop, token };
}

/** Polls until `check` holds, or fails after `ms`: tests wait on state, not on fixed sleeps. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const hostTestWork = (password = 'not-a-real-password'): WorkOrder => ({
  kind: 'host_test',
  host: {
    id: 'host_1',
    name: 'edge',
    address: '10.0.0.5',
    port: 22,
    username: 'deploy',
    host_key: null,
    auth: { kind: 'ssh_password', password },
  },
});
