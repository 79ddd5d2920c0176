/**
 * A cluster test job: can the runner reach this API server with these credentials, which version
 * does it run and how long does /version take. Only the version request is made.
 */
import type { ClusterAccess } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { redact } from '../jobs/redact';
import { type RunContext, runStep, StepError } from '../jobs/steps';
import type { K8sClients } from './client';
import { describeK8sError } from './client';
import { connectCluster, credentialValues } from './connect';

/** Whether each namespace exists: 404 is no; a refusal (403) or an error leaves it unknown (null). */
async function namespacesExist(c: K8sClients, names: string[]): Promise<Record<string, boolean | null>> {
  const out: Record<string, boolean | null> = {};
  for (const name of names) {
    try {
      await c.core.readNamespace({ name });
      out[name] = true;
    } catch (e) {
      out[name] = describeK8sError(e).status === 404 ? false : null;
    }
  }
  return out;
}

export async function testCluster(
  cluster: ClusterAccess,
  ctx: RunContext,
  opts: { requestTimeoutMs?: number; namespaces?: string[] } = {},
): Promise<CompleteReport> {
  const r = (s: string) => redact(s, credentialValues(cluster));
  let clients: K8sClients | null = null;
  try {
    const connected = await runStep(
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
    const { version, latencyMs } = connected;
    const c = connected.clients;
    clients = c;
    const wanted = opts.namespaces ?? [];
    const namespaces = wanted.length
      ? await runStep(ctx, 'k8s.namespaces', () => namespacesExist(c, wanted), {
          result: (v) => ({
            output: Object.entries(v)
              .map(([n, e]) => `${n}: ${e === null ? 'unknown' : e ? 'exists' : 'missing'}`)
              .join('\n'),
          }),
        })
      : undefined;
    return {
      status: 'succeeded',
      result: { reachable: true, version, latency_ms: latencyMs, ...(namespaces ? { namespaces } : {}) },
    };
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('CLUSTER_UNREACHABLE', r((e as Error).message));
    return {
      status: 'failed',
      error_code: err.code,
      result: { reachable: false, version: null, latency_ms: null },
      diagnostics: { message: r(err.message) },
    };
  } finally {
    clients?.close();
  }
}
