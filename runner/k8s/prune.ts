/**
 * The `k8s.prune` step: delete what the previous revision had and this one does not, but only an
 * object that still carries our managed-by label and this target's label. Anything else under
 * that name (made by hand, by another tool, or by another target sharing the namespace) is left
 * and reported. The delete is conditioned on the uid just read, so an object someone deleted and
 * re-created in between is not the one removed.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { describeK8sError, type K8sClients, k8sStepError } from './client';
import type { ObjectAction } from './diagnostics';
import { isOurs, type Manifest, refOf } from './manifest';

export async function pruneObjects(
  c: K8sClients,
  candidates: readonly Manifest[],
  o: { namespace: string; targetId: string; signal: AbortSignal; redact: (s: string) => string },
  actions: ObjectAction[],
): Promise<string[]> {
  const lines: string[] = [];
  const note = (m: Manifest, action: string, why: string) => {
    actions.push({ kind: m.kind, name: m.metadata.name, action });
    lines.push(`${refOf(m)}: ${why}`);
  };
  for (const m of candidates) {
    const resource = await c.objects.resourceFor(m.apiVersion, m.kind).catch(() => undefined);
    if (!resource?.namespaced) {
      note(m, 'kept', 'not a namespaced kind this cluster serves; left alone');
      continue;
    }
    const spec = {
      apiVersion: m.apiVersion,
      kind: m.kind,
      metadata: { name: m.metadata.name, namespace: o.namespace },
    };
    let live: KubernetesObject;
    try {
      live = await c.objects.read(structuredClone(spec));
    } catch (e) {
      if (describeK8sError(e).status === 404) {
        note(m, 'absent', 'already gone');
        continue;
      }
      throw k8sStepError(e, `read ${refOf(m)}`, o.redact, o.signal);
    }
    if (!isOurs(live.metadata?.labels, o.targetId)) {
      note(m, 'kept', 'not labelled as managed by k8s-manage for this target; left alone');
      continue;
    }
    try {
      await c.objects.delete(
        structuredClone(spec),
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
        {
          preconditions: { uid: live.metadata?.uid },
        },
      );
      note(m, 'pruned', 'deleted');
    } catch (e) {
      const status = describeK8sError(e).status;
      if (status === 404) note(m, 'absent', 'already gone');
      else if (status === 409) note(m, 'kept', 'replaced since it was read; left alone');
      else throw k8sStepError(e, `delete ${refOf(m)}`, o.redact, o.signal);
    }
  }
  return lines;
}
