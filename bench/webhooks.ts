// biome-ignore-all lint/suspicious/noTemplateCurlyInString: image templates with ${VAR} placeholders
import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ScriptRunner } from '../functions/platform/db/types';
import type { Backend } from '../test/support/databases';
import { APP_VS_SQL_HEADER, appVsSqlCells, benchBackends, loadNow, withBenchApp } from './app-vs-sql';
import { machine } from './machine';
import { percentile, table } from './stats';

export type WebhooksBenchOptions = {
  /** Deliveries per round on each side, sent at `rate` per second. */
  perRound: number;
  rounds: number;
  rate: number;
  warmup: number;
};

/** functions/api/audit/repo.ts: the advisory lock every append takes. */
const AUDIT_APPEND_LOCK = 7_281_002;

type Delivery = { body: string; headers: Record<string, string> };

/**
 * Sends `count` operations at `rate` per second without waiting for one to end before the next
 * starts (open loop, as a provider sends), and answers each one's latency in ms.
 */
async function paced(count: number, rate: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const gap = 1000 / rate;
  const start = performance.now();
  const runs: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    runs.push(op(i).then(() => performance.now() - t));
  }
  return Promise.all(runs);
}

/**
 * What the intake runs for a new commit, on the raw driver: the pipeline, then in one transaction
 * the delivery id taken, the build of the commit looked up, the build inserted, the CD work it
 * owes inserted, its audit event appended under the chain lock, the delivery pointed at the build.
 */
async function rawIntake(
  db: { query: ScriptRunner['query']; transaction: <T>(fn: (tx: ScriptRunner) => Promise<T>) => Promise<T> },
  pipelineId: string,
  n: string,
) {
  const [pipeline] = await db.query<{ project_id: string; service_id: string }>(
    'select * from ci_pipelines where id = $1 and deleted_at is null',
    [pipelineId],
  );
  const now = new Date().toISOString();
  const commit = createHash('sha1').update(n).digest('hex');
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into ci_deliveries (pipeline_id, delivery_id, build_id, received_at) values ($1, $2, null, $3)
       on conflict (pipeline_id, delivery_id) do nothing returning delivery_id`,
      [pipelineId, `raw-${n}`, now],
    );
    await tx.query('select * from ci_builds where pipeline_id = $1 and commit_sha = $2 for update', [
      pipelineId,
      commit,
    ]);
    const buildId = `bld_raw${n}`;
    await tx.query(
      `insert into ci_builds (id, project_id, service_id, pipeline_id, provider_run_id, commit_sha, ref, run_number,
         status, artifacts, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'refs/heads/main', '1', 'succeeded', $7, $8, $8)
       on conflict (pipeline_id, commit_sha) do nothing returning id`,
      [
        buildId,
        pipeline!.project_id,
        pipeline!.service_id,
        pipelineId,
        `run-${n}`,
        commit,
        JSON.stringify([{ image: `registry.internal/web:${n}`, digest: null }]),
        now,
      ],
    );
    // A succeeded build with an image is owed to the CD policies (functions/api/cd/repo.ts).
    await tx.query(
      `insert into cd_work (id, kind, subject_id, created_at, done_at) values ($1, 'build', $2, $3, null)
       on conflict (kind, subject_id) do nothing`,
      [`cdw_raw${n}`, buildId, now],
    );
    await tx.query('select pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
    const [last] = await tx.query<{ seq: string; hash: string; mac_key_id: string | null }>(
      'select seq, hash, mac_key_id from audit_events order by seq desc limit 1',
    );
    const hash = createHash('sha256').update(`${last?.hash}${buildId}`).digest('hex');
    await tx.query(
      `insert into audit_events (id, seq, action, resource_type, resource_id, project_id, team_id, environment_id,
         actor_id, source, status, occurred_at, detail, prev_hash, hash, mac_key_id, mac)
       values ($1, $2, 'build.received', 'build', $3, $4, null, null, null, 'system', 'succeeded', $5, $6, $7, $8, $9, $10)`,
      [
        `evt_raw${n}`,
        Number(last?.seq ?? 0) + 1,
        buildId,
        pipeline!.project_id,
        now,
        JSON.stringify({ pipeline_id: pipelineId, delivery_id: `raw-${n}`, commit }),
        last?.hash ?? '',
        hash,
        last?.mac_key_id ?? null,
        hash,
      ],
    );
    await tx.query('update ci_deliveries set build_id = $1 where pipeline_id = $2 and delivery_id = $3', [
      buildId,
      pipelineId,
      `raw-${n}`,
    ]);
  });
}

async function measure(backend: Backend, o: WebhooksBenchOptions) {
  return withBenchApp(backend, { name: 'webhooks' }, async ({ database, app, token }) => {
    const call = async (path: string, body: unknown) => {
      const res = await app.request(`/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<{ id: string; webhook_secret?: string }>;
    };
    const project = await call('/projects', { name: 'bench-webhooks' });
    const service = await call('/services', {
      project_id: project.id,
      name: 'web',
      compose_file: 'services:\n  web:\n    image: ${IMAGE}\n',
    });
    const pipeline = await call('/ci/pipelines', {
      project_id: project.id,
      service_id: service.id,
      provider: 'generic',
      repository: 'bench/web',
      trigger: 'push',
      image: 'registry.internal/web:${SHORT_SHA}',
    });
    const signer = new Webhook(pipeline.webhook_secret!);
    const runTag = randomBytes(4).toString('hex');
    let made = 0;
    /** Signed before timing starts: the provider's signing is not the platform's cost. */
    const deliveries = (count: number): Delivery[] =>
      Array.from({ length: count }, () => {
        made += 1;
        const id = `msg_${runTag}_${made}`;
        const body = JSON.stringify({
          run_id: `run-${made}`,
          commit: createHash('sha1').update(id).digest('hex'),
          ref: 'refs/heads/main',
          status: 'succeeded',
          artifacts: [{ image: `registry.internal/web:${made}`, digest: null }],
        });
        const at = new Date();
        return {
          body,
          headers: {
            'content-type': 'application/json',
            // Providers send the length; without it the body limit has to count the stream.
            'content-length': String(Buffer.byteLength(body)),
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signer.sign(id, at, body),
          },
        };
      });
    const viaApp = async (batch: Delivery[]) =>
      paced(batch.length, o.rate, async (i) => {
        const d = batch[i]!;
        const res = await app.request(`/api/v1/ci/webhooks/${pipeline.id}`, {
          method: 'POST',
          headers: d.headers,
          body: d.body,
        });
        const text = await res.text();
        if (res.status !== 200 || !JSON.parse(text).build_id)
          throw new Error(`the webhook answered ${res.status}: ${text}`);
      });
    let rawN = 0;
    const viaRaw = (count: number) =>
      paced(count, o.rate, async () => {
        rawN += 1;
        await rawIntake(database, pipeline.id, `${runTag}${rawN}`);
      });
    // A redelivery changes nothing: checked once, untimed.
    const [first] = deliveries(1);
    for (let k = 0; k < 2; k++) {
      const res = await app.request(`/api/v1/ci/webhooks/${pipeline.id}`, {
        method: 'POST',
        headers: first!.headers,
        body: first!.body,
      });
      const json = (await res.json()) as { duplicate: boolean };
      if (res.status !== 200 || json.duplicate !== (k === 1))
        throw new Error('redelivery was not a duplicate');
    }
    await viaApp(deliveries(o.warmup));
    await viaRaw(o.warmup);
    const out = { app: [] as number[], raw: [] as number[] };
    for (let r = 0; r < o.rounds; r++) {
      out.app.push(...(await viaApp(deliveries(o.perRound))));
      out.raw.push(...(await viaRaw(o.perRound)));
    }
    return out;
  });
}

/** The aim (issue 18): webhook intake at 100 deliveries/s answers with p99 at most 2× the raw SQL. */
const AIM = 2;

export async function webhooksBench(o: WebhooksBenchOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const backends = await benchBackends();
  const rows: string[][] = [];
  const misses: string[] = [];
  for (const backend of backends) {
    console.error(`  ${backend}…`);
    const m = await measure(backend, o);
    const p99 = percentile(m.app, 99) / percentile(m.raw, 99);
    if (p99 > AIM) misses.push(`${backend} (${p99.toFixed(2)}×)`);
    rows.push([backend, String(m.app.length), ...appVsSqlCells(m)]);
  }
  const loadEnd = loadNow();
  return `## Webhook intake at ${o.rate} deliveries/s against the SQL it runs (\`webhooks\`)

Measured ${started} on ${where}; load average ${loadEnd} at the end.
Reproduce: \`npm run bench -- webhooks\`.

One generic (Standard Webhooks) pipeline on a fresh database with the migrations; the platform
in-process, deliveries through \`app.request\`, each a new commit, signed beforehand with the
\`standardwebhooks\` library. Each delivery is verified (the secret opened from its envelope, the
signature checked), its id taken once (a redelivery was checked to answer \`duplicate: true\`), its
build recorded with its \`build.received\` audit event. The baseline runs the same statements on
the raw driver: the pipeline read, then in one transaction the delivery id, the build lookup and
insert, the CD work the build owes, the audit append under the chain lock, the delivery's build
(until December 2026 the baseline left out the CD work insert, one statement of ten). Deliveries
carry \`Content-Length\`, as providers send it. Both sides are sent open
loop at ${o.rate}/s (a provider does not wait for one answer before the next delivery), in
${o.rounds} rounds of ${o.perRound} alternating app and SQL, after ${o.warmup} untimed of each.

${table(['backend', 'deliveries', ...APP_VS_SQL_HEADER], rows)}

Aim: the app's p99 at most ${AIM}× the SQL's p99: ${misses.length ? `**missed** on ${misses.join(', ')}` : '**met** on every backend'}.`;
}
