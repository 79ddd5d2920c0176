import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret } from './pipelines';
import { deliveryBody, verifyDelivery } from './verify';

/** Deliveries signed by the libraries the senders' own ecosystems use, never by our code. */
const headersOf = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()];
const NOW = new Date('2026-12-07T18:30:00Z');
const body = Buffer.from(JSON.stringify({ run_id: 'r1', commit: 'abcdef1', ref: 'main', status: 'running' }));

describe('webhook signatures', () => {
  it('accepts a GitHub delivery signed with the secret and refuses any other', async () => {
    const secret = newWebhookSecret('github_actions');
    const signature = await githubSign(secret, body.toString());
    const header = headersOf({
      'x-hub-signature-256': signature,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-event': 'workflow_run',
    });
    expect(verifyDelivery({ provider: 'github_actions', header, raw: body, now: NOW }, secret)).toEqual({
      ok: true,
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      event: 'workflow_run',
    });
    const other = newWebhookSecret('github_actions');
    expect(verifyDelivery({ provider: 'github_actions', header, raw: body, now: NOW }, other)).toMatchObject({
      ok: false,
    });
    const tampered = Buffer.from(body.toString().replace('running', 'succeeded'));
    expect(
      verifyDelivery({ provider: 'github_actions', header, raw: tampered, now: NOW }, secret),
    ).toMatchObject({
      ok: false,
    });
  });

  it('verifies a form-encoded GitHub delivery on the form body and reads its payload', async () => {
    const secret = newWebhookSecret('github_actions');
    const form = Buffer.from(new URLSearchParams({ payload: body.toString() }).toString());
    const header = headersOf({
      'x-hub-signature-256': await githubSign(secret, form.toString()),
      'x-github-delivery': 'd-form',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(verifyDelivery({ provider: 'github_actions', header, raw: form, now: NOW }, secret).ok).toBe(true);
    expect(deliveryBody(form, 'application/x-www-form-urlencoded')).toEqual(JSON.parse(body.toString()));
  });

  it('compares the GitLab token and requires the event UUID', () => {
    const secret = newWebhookSecret('gitlab_ci');
    const ok = headersOf({
      'x-gitlab-token': secret,
      'x-gitlab-event-uuid': 'u-1',
      'x-gitlab-event': 'Pipeline Hook',
    });
    expect(verifyDelivery({ provider: 'gitlab_ci', header: ok, raw: body, now: NOW }, secret)).toEqual({
      ok: true,
      deliveryId: 'u-1',
      event: 'Pipeline Hook',
    });
    const wrong = headersOf({ 'x-gitlab-token': `${secret}x`, 'x-gitlab-event-uuid': 'u-1' });
    expect(verifyDelivery({ provider: 'gitlab_ci', header: wrong, raw: body, now: NOW }, secret).ok).toBe(
      false,
    );
  });

  it('accepts Standard Webhooks signatures within five minutes and refuses stale or forged ones', () => {
    const secret = newWebhookSecret('generic');
    const at = (offsetMs: number, key = secret) => {
      const when = new Date(NOW.getTime() + offsetMs);
      return headersOf({
        'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
        'webhook-timestamp': String(Math.floor(when.getTime() / 1000)),
        'webhook-signature': new Webhook(key).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', when, body.toString()),
      });
    };
    const check = (header: (n: string) => string | undefined) =>
      verifyDelivery({ provider: 'generic', header, raw: body, now: NOW }, secret);
    expect(check(at(0))).toEqual({
      ok: true,
      deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      event: undefined,
    });
    expect(check(at(-4 * 60_000)).ok).toBe(true);
    expect(check(at(-6 * 60_000))).toEqual({ ok: false, reason: 'webhook-timestamp outside ±5 minutes' });
    expect(check(at(6 * 60_000)).ok).toBe(false);
    expect(check(at(0, newWebhookSecret('generic')))).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('accepts a signature list where any one entry matches (a sender rotating its key)', () => {
    const secret = newWebhookSecret('jenkins');
    const sig = new Webhook(secret).sign('m1', NOW, body.toString());
    const header = headersOf({
      'webhook-id': 'm1',
      'webhook-timestamp': String(Math.floor(NOW.getTime() / 1000)),
      'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${sig}`,
    });
    expect(verifyDelivery({ provider: 'jenkins', header, raw: body, now: NOW }, secret).ok).toBe(true);
  });
});
