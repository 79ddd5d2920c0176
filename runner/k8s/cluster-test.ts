/**
 * A cluster test job: can the runner reach this API server with these credentials, which version
 * does it run and how long does /version take. Only the version request is made.
 */
import type { ClusterAccess } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { redact } from '../jobs/redact';
import { type RunContext, runStep, StepError } from '../jobs/steps';
import { connectCluster, credentialValues } from './connect';

export async function testCluster(
  cluster: ClusterAccess,
  ctx: RunContext,
  opts: { requestTimeoutMs?: number } = {},
): Promise<CompleteReport> {
  const r = (s: string) => redact(s, credentialValues(cluster));
  try {
    const { version, latencyMs } = await runStep(
      ctx,
      'k8s.version',
      () =>
        connectCluster(cluster, {
          signal: ctx.signal,
          requestTimeoutMs: opts.requestTimeoutMs ?? 15_000,
          redact: r,
        }),
      {
        result: (v) => ({
          output: `${v.version} in ${v.latencyMs} ms`,
          detail: { version: v.version, latency_ms: v.latencyMs },
        }),
      },
    );
    return { status: 'succeeded', result: { reachable: true, version, latency_ms: latencyMs } };
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('CLUSTER_UNREACHABLE', r((e as Error).message));
    return {
      status: 'failed',
      error_code: err.code,
      result: { reachable: false, version: null, latency_ms: null },
      diagnostics: { message: r(err.message) },
    };
  }
}
