/**
 * A release to a Kubernetes target: connect, server-side apply every document in order, wait for
 * the workloads, prune what the previous revision had and this one dropped. A rollback is the same
 * path: the platform sends the earlier revision as `rendered`. `strategy: recreate` goes into the
 * Deployments sent (`withStrategy`). Every string that leaves (step
 * output and detail, the report's diagnostics) is redacted of the release's secret values, the
 * cluster credentials and the values inside Secret documents; Secret objects are named, never shown.
 */
import type { ReleaseWork } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { redact, redactDeep } from '../jobs/redact';
import { type RunContext, runStep, StepError, type StepResult } from '../jobs/steps';
import { type K8sClients, k8sStepError } from './client';
import { connectCluster, credentialValues } from './connect';
import { collectDiagnostics, type ObjectAction, type WorkloadRef } from './diagnostics';
import {
  inNamespace,
  labelled,
  type Manifest,
  parseManifests,
  pruneCandidates,
  refOf,
  secretDocumentValues,
  withStrategy,
} from './manifest';
import { pruneObjects } from './prune';
import { WORKLOAD_KINDS } from './rollout';
import { waitForRollout } from './wait';

export type ApplyOptions = {
  /** Budget for all workloads together to roll out. */
  rolloutTimeoutMs?: number;
  pollMs?: number;
  requestTimeoutMs?: number;
};

export async function applyK8s(
  work: ReleaseWork,
  ctx: RunContext,
  opts: ApplyOptions = {},
): Promise<CompleteReport> {
  const namespace = work.target.namespace ?? '';
  const secrets = [...work.secret_values, ...credentialValues(work.cluster)];
  const r = (s: string) => redact(s, secrets);
  const actions: ObjectAction[] = [];
  let clients: K8sClients | null = null;
  let workloads: WorkloadRef[] = [];
  let version = '';

  /** runStep, with every message and output of the step redacted on its way out. */
  const step = <T>(name: string, fn: () => Promise<T>, result: (v: T) => StepResult) =>
    runStep(
      ctx,
      name,
      async () => {
        try {
          return await fn();
        } catch (e) {
          if (!(e instanceof StepError)) throw k8sStepError(e, name, r, ctx.signal);
          const { output, detail } = e.extra;
          throw new StepError(e.code, r(e.message), {
            ...(output !== undefined ? { output: r(output) } : {}),
            ...(detail ? { detail: redactDeep(detail, secrets) } : {}),
          });
        }
      },
      { result: (v) => redactDeep(result(v), secrets) },
    );

  try {
    const connected = await step(
      'k8s.connect',
      async () => {
        if (work.target.runtime_type !== 'k8s' || !work.cluster)
          throw new StepError('APPLY_FAILED', 'the work order is not for a Kubernetes target with a cluster');
        if (!namespace) throw new StepError('K8S_REJECTED', 'a Kubernetes target needs a namespace');
        return connectCluster(work.cluster, {
          signal: ctx.signal,
          requestTimeoutMs: opts.requestTimeoutMs,
          redact: r,
        });
      },
      (v) => ({ output: `connected to ${work.cluster?.server} (${v.version}) in ${v.latencyMs} ms` }),
    );
    clients = connected.clients;
    version = connected.version;
    const c = clients;

    const { docs } = await step(
      'k8s.apply',
      () => applyAll(c),
      (v) => ({ output: v.lines.join('\n') }),
    );
    workloads = docs
      .filter((d) => WORKLOAD_KINDS.has(d.kind))
      .map((d) => ({ kind: d.kind, name: d.metadata.name }));

    const rolled = await step(
      'k8s.rollout',
      () =>
        waitForRollout(c, namespace, workloads, {
          timeoutMs: opts.rolloutTimeoutMs ?? 300_000,
          pollMs: opts.pollMs ?? 1_000,
          signal: ctx.signal,
          redact: r,
        }),
      ({ lines }) => ({ output: lines.length ? lines.join('\n') : 'no workloads to wait for' }),
    );

    await step(
      'k8s.prune',
      () => prune(c, docs),
      (lines) => ({ output: lines.join('\n') || 'nothing to prune' }),
    );

    // The wait's last reads are the workloads as they rolled out: not read a second time.
    const diagnostics = await collectDiagnostics(
      c,
      namespace,
      actions,
      workloads,
      (v) => redactDeep(v, secrets),
      rolled.seen,
    );
    const count = (a: string) => actions.filter((x) => x.action === a).length;
    return {
      status: 'succeeded',
      result: {
        server_version: version,
        applied: docs.length,
        created: count('created'),
        pruned: count('pruned'),
      },
      diagnostics,
    };
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError('APPLY_FAILED', r((e as Error).message));
    // Without a reachable cluster (or once the job is stopped) more requests would only wait out timeouts.
    const reachable = clients && err.code !== 'CLUSTER_UNREACHABLE' && !ctx.signal.aborted ? clients : null;
    const diagnostics = await collectDiagnostics(reachable, namespace, actions, workloads, (v) =>
      redactDeep(v, secrets),
    );
    return {
      status: 'failed',
      error_code: err.code,
      diagnostics: { ...diagnostics, message: r(err.message) },
    };
  } finally {
    clients?.close();
  }

  async function applyAll(c: K8sClients): Promise<{ docs: Manifest[]; lines: string[] }> {
    const parsed = parseManifests(work.rendered);
    if (!parsed.ok)
      throw new StepError('K8S_REJECTED', `the rendered manifest is not usable: ${parsed.message}`);
    // Every document is checked before the first request that changes anything.
    const scoped = inNamespace(parsed.value, namespace);
    if (!scoped.ok) throw new StepError('K8S_REJECTED', `refused before sending anything: ${scoped.message}`);
    const docs = scoped.value;
    secrets.push(...secretDocumentValues(docs));
    if (work.previous_rendered) {
      const previous = parseManifests(work.previous_rendered);
      if (previous.ok) secrets.push(...secretDocumentValues(previous.value));
    }
    for (const doc of docs) {
      const resource = await c.objects.resourceFor(doc.apiVersion, doc.kind).catch((e) => {
        if ((e as { code?: number }).code === 404) return undefined;
        throw e;
      });
      if (!resource)
        throw new StepError('K8S_REJECTED', `the cluster does not serve ${doc.apiVersion} ${doc.kind}`);
      if (!resource.namespaced)
        throw new StepError(
          'K8S_REJECTED',
          `${refOf(doc)} is cluster-scoped; this target deploys only into "${namespace}"`,
        );
    }
    const lines: string[] = [];
    const own = { targetId: work.target.id, releaseId: work.release.release_id };
    for (const doc of docs) {
      try {
        const { created } = await c.objects.apply(labelled(withStrategy(doc, work.release.strategy), own));
        actions.push({ kind: doc.kind, name: doc.metadata.name, action: created ? 'created' : 'configured' });
        lines.push(`${refOf(doc)} ${created ? 'created' : 'configured'}`);
      } catch (e) {
        actions.push({ kind: doc.kind, name: doc.metadata.name, action: 'rejected' });
        throw k8sStepError(e, `apply ${refOf(doc)}`, r, ctx.signal);
      }
    }
    return { docs, lines };
  }

  async function prune(c: K8sClients, docs: Manifest[]): Promise<string[]> {
    if (!work.previous_rendered) return ['first release: nothing to prune'];
    const previous = parseManifests(work.previous_rendered);
    // Not knowing what ran before, deleting nothing is the safe answer.
    if (!previous.ok) return ['the previous revision could not be read; nothing pruned'];
    const candidates = pruneCandidates(previous.value, docs, namespace);
    return pruneObjects(
      c,
      candidates,
      { namespace, targetId: work.target.id, signal: ctx.signal, redact: r },
      actions,
    );
  }
}
