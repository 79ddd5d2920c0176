/**
 * The diff a preview shows: a unified diff of the masked texts ("running" is what the target has,
 * "preview" what this release would put there) and a summary an approver reads at a glance.
 * Both sides are masked revisions, so no secret value can appear; secret changes are decided by
 * their digests.
 */
import { createTwoFilesPatch } from 'diff';
import type { Change, DiffSummary, RuntimeType } from './contracts';
import type { Revision } from './revision';
import { composeReplicas } from './validate-compose';
import { containersOf, getIn, podSpecsOf } from './validate-k8s';
import { isPlainObject } from './yaml';

export type DiffInput = { before: Revision | null; after: Revision; runtime: RuntimeType };
export type RevisionDiff = { unified: string; summary: DiffSummary };

type Resource = { images: Map<string, string | null>; replicas: number | null };

export function diffRevisions({ before, after, runtime }: DiffInput): RevisionDiff {
  const unified = createTwoFilesPatch(
    'running',
    'preview',
    before?.text ?? '',
    after.text,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  const old = before ? resourcesOf(before, runtime) : new Map<string, Resource>();
  const now = resourcesOf(after, runtime);

  const summary: DiffSummary = {
    images_changed: [],
    replicas_changed: [],
    resources_added: [...now.keys()].filter((id) => !old.has(id)).sort(),
    resources_removed: [...old.keys()].filter((id) => !now.has(id)).sort(),
    secrets: [],
    secret_variables: [],
    scaled_to_zero: [],
  };
  for (const id of [...now.keys()].sort()) {
    const next = now.get(id) as Resource;
    const prev = old.get(id);
    const containers = new Set([...next.images.keys(), ...(prev?.images.keys() ?? [])]);
    for (const container of [...containers].sort()) {
      const from = prev?.images.get(container) ?? null;
      const to = next.images.get(container) ?? null;
      if (from !== to) summary.images_changed.push({ resource: id, container, from, to });
    }
    const from = prev ? prev.replicas : null;
    if (from !== next.replicas) summary.replicas_changed.push({ resource: id, from, to: next.replicas });
    // Zero replicas on a new resource stops nothing; on an existing one it stops everything.
    if (prev && next.replicas === 0 && prev.replicas !== 0) summary.scaled_to_zero.push(id);
  }
  summary.secrets = compareDigests(before?.secretDigests ?? {}, after.secretDigests).map(([id, change]) => {
    const [, name = '', ...key] = id.split('/');
    return { name, key: key.join('/'), change };
  });
  summary.secret_variables = compareDigests(
    before?.secretVariableDigests ?? {},
    after.secretVariableDigests,
  ).map(([name, change]) => ({ name, change }));
  return { unified, summary };
}

/**
 * k8s: `Kind/name` -> images by container and `spec.replicas` (null when the manifest leaves it to
 * the cluster). compose: `service/<name>` -> its image and replicas (compose's default is 1).
 */
function resourcesOf(revision: Revision, runtime: RuntimeType): Map<string, Resource> {
  const out = new Map<string, Resource>();
  if (runtime === 'compose') {
    const services = getIn(revision.documents[0], ['services']);
    if (!isPlainObject(services)) return out;
    for (const [name, service] of Object.entries(services)) {
      if (!isPlainObject(service)) continue;
      out.set(`service/${name}`, {
        images: new Map([[name, imageOf(service.image)]]),
        replicas: composeReplicas(service),
      });
    }
    return out;
  }
  for (const doc of revision.documents) {
    if (!isPlainObject(doc)) continue;
    const id = `${String(doc.kind)}/${String(getIn(doc, ['metadata', 'name']))}`;
    const images = new Map<string, string | null>();
    for (const pod of podSpecsOf(doc))
      for (const c of containersOf(pod)) images.set(c.name, imageOf(c.image));
    const replicas = getIn(doc, ['spec', 'replicas']);
    out.set(id, {
      images,
      replicas: typeof replicas === 'number' && Number.isInteger(replicas) ? replicas : null,
    });
  }
  return out;
}

const imageOf = (image: unknown): string | null => (typeof image === 'string' ? image : null);

function compareDigests(before: Record<string, string>, after: Record<string, string>): [string, Change][] {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return ids.map((id) => {
    const b = Object.hasOwn(before, id) ? before[id] : undefined;
    const a = Object.hasOwn(after, id) ? after[id] : undefined;
    const change: Change =
      b === undefined ? 'added' : a === undefined ? 'removed' : a === b ? 'unchanged' : 'changed';
    return [id, change];
  });
}
