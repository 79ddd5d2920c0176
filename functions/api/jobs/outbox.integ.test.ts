import { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { jobs } from '../../platform/db/schema';
import type { Deps } from '../deps';
import type { ApiEnv } from '../env';
import { sendQueuedAfter } from '../middleware/outbox';
import { markQueued } from './outbox';
import { createJob } from './service';

describe('the outbox middleware', () => {
  const appWith = (send: (deps: Deps) => Promise<void>) => {
    const app = new OpenAPIHono<ApiEnv>();
    app.use('*', async (c, next) => {
      c.set('deps', {} as Deps);
      await next();
    });
    app.use('*', sendQueuedAfter(send));
    app.post('/runner/jobs/queue-one', (c) => {
      markQueued();
      return c.json({}, 201);
    });
    app.post('/projects/nothing', (c) => c.json({}, 200));
    return app;
  };

  it('dispatches after a request that queued a job, even under a runner path', async () => {
    const send = vi.fn(async () => {});
    expect((await appWith(send).request('/runner/jobs/queue-one', { method: 'POST' })).status).toBe(201);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('does not dispatch after a mutating 2xx that queued nothing', async () => {
    const send = vi.fn(async () => {});
    expect((await appWith(send).request('/projects/nothing', { method: 'POST' })).status).toBe(200);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the outbox on the platform', () => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  beforeAll(async () => {
    p = await createTestPlatform('pglite');
    f = await governanceFixture(p, 'outbox');
  });
  afterAll(() => p.close());

  it('sends queue messages only after the requests that queued a job', async () => {
    const db = p.deps.database.db;
    // A job queued outside any request (as a sweep or a script would): left to the sweep.
    const waiting = await db.transaction((tx) =>
      createJob(tx, p.clock, {
        kind: 'host_test',
        projectId: f.project,
        environmentId: null,
        runnerPoolId: f.pool,
        resourceType: 'host',
        resourceId: 'host_none',
        payload: { host_id: 'host_none' },
      }),
    );
    const publish = vi.spyOn(p.deps.queue, 'publish');
    const policy = await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { preview_ttl_seconds: 600 },
    });
    expect(policy.status).toBe(200);
    expect(publish).not.toHaveBeenCalled();
    const [row] = await db.select().from(jobs).where(eq(jobs.id, waiting.id));
    expect(row?.dispatchedAt).toBeNull();

    const preview = await p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: f.serviceId, target_id: f.targets.devCompose, variables: composeVars('o1') },
    });
    const applied = await p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: preview.json.preview_ref },
    });
    expect(applied.json.lifecycle_state).toBe('approved');
    expect(publish).toHaveBeenCalledTimes(1);
    publish.mockRestore();
  });
});
