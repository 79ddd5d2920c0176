import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { backends, freshDatabase, type TestDatabase } from '../support/databases';
import { webhookReceiver } from '../support/webhook-receiver';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * SPEC §7.2 in the SPA: a project admin adds a notification endpoint pointing at a local receiver
 * (which verifies with the `standardwebhooks` package), copies the secret shown once, sees a
 * delivery the receiver refused listed as failed with its tries, and redelivers it once the
 * receiver answers. The platform runs on a Postgres database of its own, so the test can make the
 * hour of retries pass by SQL; the sends are the server's own sweep.
 */
const available = browserTestsAvailable();
const withPostgres = (await backends()).includes('postgres');

const PASSWORD = 'browser test password long enough';

describe.skipIf(!available || !withPostgres)('notifications in a real browser', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const web = new Browsing();
  let origin = '';
  let project = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };
  /** A build report from a generic sender, signed the Standard Webhooks way: a `build.received` event. */
  const reportBuild = async () => {
    const service = (
      await api('POST', '/services', {
        project_id: project,
        name: 'web',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not a JS one
        compose_file: 'services:\n  web:\n    image: ${IMAGE}\n',
      })
    ).json.id;
    const pipeline = (
      await api('POST', '/ci/pipelines', {
        project_id: project,
        service_id: service,
        provider: 'generic',
        repository: 'shop/web',
        trigger: 'push',
        image: 'registry.internal/web:latest',
      })
    ).json;
    const body = JSON.stringify({
      run_id: '41',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      ref: 'refs/heads/main',
      status: 'running',
      artifacts: [],
    });
    const at = new Date();
    const res = await fetch(`${origin}/api/v1/ci/webhooks/${pipeline.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_browser_1',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(pipeline.webhook_secret).sign('msg_browser_1', at, body),
      },
      body,
    });
    expect(res.status, await res.text()).toBe(200);
  };
  const failedDeliveries = async () =>
    (await api('GET', `/notifications/deliveries?project_id=${project}&status=failed`)).json.items as {
      id: string;
    }[];

  beforeAll(async () => {
    await ensureWebBuilt();
    db = await freshDatabase('postgres');
    stack = await startStack({ DATABASE_URL: db.url! });
    origin = `http://127.0.0.1:${stack.server.port}`;
    project = (await api('POST', '/projects', { name: 'shop' })).json.id;
    await api('POST', '/users', { username: 'notifier', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'notifier', role: 'admin', project_id: project });
    await api('POST', '/users', { username: 'looker', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'looker', role: 'viewer', project_id: project });
    // Down for now: every try is answered 503.
    receiver = await webhookReceiver({ status: 503 });
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
    await receiver?.stop();
    await db?.drop();
  }, 60_000);

  async function tab(user: string, viewport = WIDTHS.desktop) {
    return web.signedIn(user, PASSWORD, viewport);
  }

  it('adds an endpoint, shows its secret once, lists a failed delivery and redelivers it', async () => {
    const { page, assertClean } = await tab('notifier');
    await navigate(page, `/notifications?project_id=${project}`);
    await page.getByRole('button', { name: 'Add endpoint' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('URL').fill(receiver.url('/k8sm'));
    await page.getByRole('combobox', { name: 'Events', exact: true }).click();
    await page.getByRole('option', { name: 'build.*', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('shown-once').textContent({ timeout: 30_000 })) ?? '';
    expect(secret).toMatch(/^whsec_/);
    receiver.trust(secret);
    const row = page.getByTestId('endpoint-row').first();
    expect(await row.textContent()).toContain(receiver.url('/k8sm'));
    expect(await row.textContent()).toContain('build.*');
    await checkPage(page, 'notifications-endpoint-added');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('shown-once').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await reportBuild();
    // The server's sweep makes the first try; the hour of retries then passes by SQL.
    await expect
      .poll(
        async () =>
          (await db.database.query<{ n: number }>('select tries as n from notification_deliveries'))[0]?.n ??
          0,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
    await db.database.query(
      "update notification_deliveries set tries = 5, next_attempt_at = now() where status = 'pending'",
    );
    await expect.poll(async () => (await failedDeliveries()).length, { timeout: 60_000 }).toBe(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    const failed = page.getByTestId('failed-delivery');
    await expect.poll(() => failed.count(), { timeout: 30_000 }).toBe(1);
    expect(await failed.textContent()).toContain('build.received');
    expect(await failed.textContent()).toContain('HTTP 503');
    await checkPage(page, 'notifications-failed');

    receiver.answer(204);
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Redeliver build.received' }).click();
    await expect.poll(() => failed.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(before + 1);
    const last = receiver.received.at(-1)!;
    expect(last.verified).toBe(true);
    expect(last.body).toMatchObject({ type: 'build.received', project_id: project });
    assertClean();
  });

  it('shows endpoints and failed deliveries to a viewer on a phone, without changes', async () => {
    const { page, assertClean } = await tab('looker', WIDTHS.phone);
    await navigate(page, `/notifications?project_id=${project}`);
    await page.getByRole('table', { name: 'Endpoints' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Add endpoint' }).count()).toBe(0);
    expect(await page.getByText('Adding endpoints needs notification:write.').count()).toBe(1);
    await checkPage(page, 'notifications');
    assertClean();
  });
});
