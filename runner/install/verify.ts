/**
 * Drift: reads, on each host, the sha256 of every file its stored fingerprint names, under the
 * install prefix it was installed to. Nothing on the host changes. A file that is gone reads as
 * null; the platform compares and calls it drift, so the runner only reports what it saw.
 */
import type { HostAccess } from '../../shared/jobs/claim';
import type { InstallVerifyWork, VerifyHost, VerifyHostResult } from '../../shared/jobs/install-verify';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { redactingSink } from '../jobs/redact';
import { type RunContext, runStep, StepError } from '../jobs/steps';
import { stepName } from './host';
import { pool, secretsOf } from './installer';
import { Remote, toStepError } from './remote';
import type { InstallConnect } from './types';

/** Hosts read at once: the reads are short, but a large environment should not open every session. */
const PARALLEL = 5;

type Readings = Record<string, string | null>;

function summary(v: VerifyHost, actual: Readings) {
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [path, expected] of Object.entries(v.fingerprint.files)) {
    if (actual[path] === null) missing.push(path);
    else if (actual[path] !== expected) changed.push(path);
  }
  const n = Object.keys(actual).length;
  return {
    output: `${n - changed.length - missing.length} of ${n} files match; ${changed.length} changed, ${missing.length} missing`,
    detail: { changed, missing },
  };
}

async function readHost(
  v: VerifyHost,
  access: HostAccess | undefined,
  ctx: RunContext,
  secrets: string[],
  connect: InstallConnect,
): Promise<VerifyHostResult> {
  let close: (() => Promise<void>) | undefined;
  try {
    const actual = await runStep(
      ctx,
      stepName('drift', 'read', v.host_id),
      async () => {
        if (!access) throw new StepError('APPLY_FAILED', `no access to host ${v.host_id} in the work order`);
        let conn: Awaited<ReturnType<InstallConnect>>;
        try {
          conn = await connect(access);
        } catch (e) {
          throw toStepError(e, 'SSH_CONNECT', secrets, ctx.signal);
        }
        close = () => conn.shell.close();
        const r = new Remote(conn.shell, secrets, ctx.signal, access.name);
        const root = v.prefix.replace(/\/+$/, '');
        const paths = Object.keys(v.fingerprint.files);
        const seen = await r.sha256(paths.map((p) => `${root}/${p}`));
        return Object.fromEntries(paths.map((p) => [p, seen.get(`${root}/${p}`) ?? null])) as Readings;
      },
      { hostId: v.host_id, result: (a) => summary(v, a) },
    );
    return { host_id: v.host_id, status: 'succeeded', error_code: null, actual };
  } catch (e) {
    const err = toStepError(e, 'APPLY_FAILED', secrets, ctx.signal);
    return { host_id: v.host_id, status: 'failed', error_code: err.code, actual: {} };
  } finally {
    await close?.().catch(() => undefined);
  }
}

/** Succeeds when every host was read, drift or not; a host that could not be read fails the job. */
export async function runVerify(
  work: InstallVerifyWork,
  ctx: RunContext,
  connect: InstallConnect,
): Promise<CompleteReport> {
  const secrets = secretsOf(work.hosts);
  const run: RunContext = { ...ctx, steps: redactingSink(ctx.steps, secrets) };
  const byId = new Map(work.hosts.map((h) => [h.id, h]));
  const hosts = work.verify.hosts;
  const read = await pool(hosts, PARALLEL, ctx.signal, (v) =>
    readHost(v, byId.get(v.host_id), run, secrets, connect),
  );
  const results: VerifyHostResult[] = hosts.map(
    (v, i) => read[i] ?? { host_id: v.host_id, status: 'failed', error_code: 'TIMEOUT', actual: {} },
  );
  const failed = results.find((r) => r.status === 'failed');
  return failed
    ? {
        status: 'failed',
        error_code: failed.error_code ?? 'APPLY_FAILED',
        diagnostics: {
          hosts: results.map(({ host_id, status, error_code }) => ({ host_id, status, error_code })),
        },
        result: { hosts: results },
      }
    : { status: 'succeeded', result: { hosts: results } };
}
