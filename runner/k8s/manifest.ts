/**
 * Pure work on the documents of a release: reading them, holding them to the target namespace,
 * labelling them as ours and choosing what to prune. The platform already validated and
 * normalised the text; these checks stand anyway because the runner is the last hand before the
 * cluster and must not trust a work order to stay inside its namespace.
 */

import { CLUSTER_SCOPED_KINDS } from '../../shared/releases/validate-k8s';
import { parseYamlDocuments } from '../../shared/releases/yaml';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGER = 'k8s-manage';
export const TARGET_LABEL = 'k8s-manage/target';
export const RELEASE_LABEL = 'k8s-manage/release';

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Record<string, unknown>;
} & Record<string, unknown>;

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every non-empty document, in order; a document without apiVersion, kind or name is refused. */
export function parseManifests(text: string): Result<Manifest[]> {
  const parsed = parseYamlDocuments(text, (i) => `documents[${i}]`);
  if (!parsed.ok)
    return { ok: false, message: parsed.fields.map((f) => `${f.path}: ${f.message}`).join('; ') };
  const docs: Manifest[] = [];
  for (const { index, value, empty } of parsed.documents) {
    if (empty) continue;
    const meta = isObject(value) ? value.metadata : undefined;
    if (
      !isObject(value) ||
      typeof value.apiVersion !== 'string' ||
      typeof value.kind !== 'string' ||
      !isObject(meta) ||
      typeof meta.name !== 'string'
    )
      return { ok: false, message: `documents[${index}]: needs apiVersion, kind and metadata.name` };
    docs.push(value as Manifest);
  }
  return { ok: true, value: docs };
}

export const refOf = (m: Pick<Manifest, 'kind' | 'metadata'>) => `${m.kind}/${m.metadata.name}`;

/**
 * Identity in the cluster: the group, not the version, since `apps/v1beta2` and `apps/v1` name the
 * same stored object, and pruning one because the other replaced it would delete a live workload.
 */
export function objectKey(m: Pick<Manifest, 'apiVersion' | 'kind' | 'metadata'>, namespace: string): string {
  const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  return `${group}/${m.kind}/${m.metadata.namespace ?? namespace}/${m.metadata.name}`;
}

/** Each document in the target namespace, or the first that names another or is cluster-scoped. */
export function inNamespace(docs: readonly Manifest[], namespace: string): Result<Manifest[]> {
  const out: Manifest[] = [];
  for (const doc of docs) {
    const declared = doc.metadata.namespace;
    if (declared !== undefined && declared !== null && declared !== namespace)
      return {
        ok: false,
        message: `${refOf(doc)} is for namespace "${String(declared)}", but this target deploys only into "${namespace}"`,
      };
    if (CLUSTER_SCOPED_KINDS.has(doc.kind))
      return {
        ok: false,
        message: `${refOf(doc)} is cluster-scoped; this target deploys only into "${namespace}"`,
      };
    out.push({ ...doc, metadata: { ...doc.metadata, namespace } });
  }
  return { ok: true, value: out };
}

export type Ownership = { targetId: string; releaseId: string };

/** A copy carrying our labels; these are what pruning later checks before it deletes anything. */
export function labelled(doc: Manifest, own: Ownership): Manifest {
  const labels = {
    ...(doc.metadata.labels ?? {}),
    [MANAGED_BY]: MANAGER,
    [TARGET_LABEL]: own.targetId,
    [RELEASE_LABEL]: own.releaseId,
  };
  return { ...doc, metadata: { ...doc.metadata, labels } };
}

/**
 * The release's strategy in the documents sent (SPEC §4, §7.5). `recreate` makes every Deployment
 * `spec.strategy: {type: Recreate}`: Kubernetes then removes all old pods before it starts new ones.
 * Set in the applied manifest rather than patched afterwards, so one server-side apply carries it
 * and a later `rolling` release, which leaves the field to the template, takes it away again.
 * `rollingUpdate` goes with it (the API refuses it beside Recreate). StatefulSets and DaemonSets
 * have no Recreate and are sent as written; `rolling` sends every document as written.
 */
export function withStrategy(doc: Manifest, strategy: 'rolling' | 'recreate'): Manifest {
  if (strategy !== 'recreate' || doc.kind !== 'Deployment' || !isObject(doc.spec)) return doc;
  return { ...doc, spec: { ...doc.spec, strategy: { type: 'Recreate' } } };
}

/** Only an object we made for this same target may be deleted by a prune. */
export function isOurs(labels: Record<string, string> | undefined, targetId: string): boolean {
  return labels?.[MANAGED_BY] === MANAGER && labels[TARGET_LABEL] === targetId;
}

/**
 * Objects of the previous revision that this one no longer has. Anything the previous text put
 * outside the namespace, or any cluster-scoped kind, is never a candidate.
 */
export function pruneCandidates(
  previous: readonly Manifest[],
  current: readonly Manifest[],
  namespace: string,
): Manifest[] {
  const keep = new Set(current.map((m) => objectKey(m, namespace)));
  const seen = new Set<string>();
  return previous.filter((m) => {
    const ns = m.metadata.namespace ?? namespace;
    const key = objectKey(m, namespace);
    if (ns !== namespace || CLUSTER_SCOPED_KINDS.has(m.kind) || keep.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Values held in the Secret documents, to be redacted from everything sent back even when no
 * secret variable produced them. Values under 4 characters are left: they would blank out
 * ordinary words in every message and protect nothing.
 */
export function secretDocumentValues(docs: readonly Manifest[]): string[] {
  const values: string[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'Secret') continue;
    for (const field of ['data', 'stringData'] as const) {
      const data = doc[field];
      if (!isObject(data)) continue;
      for (const v of Object.values(data)) {
        const s = String(v ?? '');
        values.push(s);
        if (field === 'data') values.push(Buffer.from(s, 'base64').toString('utf8'));
        else values.push(Buffer.from(s, 'utf8').toString('base64'));
      }
    }
  }
  return values.filter((v) => v.length >= 4);
}
