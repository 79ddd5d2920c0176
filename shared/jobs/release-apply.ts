import { z } from 'zod';
import { ClusterAccess, HostAccess } from './access';
import { authSecrets, defineJobKind } from './define';

/** A release's revision applied to its target (a cluster namespace or a set of compose hosts). */
export const ReleaseApplyPayload = z.object({
  release_id: z.string(),
  target_id: z.string(),
  runtime_type: z.enum(['k8s', 'compose']),
  strategy: z.enum(['rolling', 'recreate']),
  revision_digest: z.string(),
  rollback_of: z.string().nullable(),
});
export type ReleaseApplyPayload = z.infer<typeof ReleaseApplyPayload>;

export const ReleaseWork = z.object({
  kind: z.literal('release_apply'),
  release: ReleaseApplyPayload,
  target: z.object({
    id: z.string(),
    runtime_type: z.enum(['k8s', 'compose']),
    namespace: z.string().nullable(),
    compose_project: z.string().nullable(),
  }),
  /** The exact text to apply (k8s: normalised, namespace forced; compose: the rendered file). */
  rendered: z.string(),
  /** What the target runs now (for k8s pruning), or null on a first release. */
  previous_rendered: z.string().nullable(),
  /** Values of the release's secret variables: the runner removes them from every output it sends. */
  secret_values: z.array(z.string()),
  hosts: z.array(HostAccess),
  cluster: ClusterAccess.nullable(),
});
export type ReleaseWork = z.infer<typeof ReleaseWork>;

/** Its hosts are the target's, read by the platform when a step reports one (not in the payload). */
export const releaseApplyKind = defineJobKind({
  kind: 'release_apply',
  version: 1,
  payload: ReleaseApplyPayload,
  work: ReleaseWork,
  secretsOf: (w) => [
    ...w.secret_values,
    ...w.hosts.flatMap(authSecrets),
    ...(w.cluster ? authSecrets(w.cluster) : []),
  ],
});
