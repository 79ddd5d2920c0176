/**
 * What a provider's delivery says about a build, read from its documented payload shapes:
 * GitHub `push` and `workflow_run`, GitLab `Push Hook` and `Pipeline Hook`, and the generic
 * `{run_id, commit, ref, status, artifacts}` of Jenkins and other Standard Webhooks senders.
 * Pure: the webhook route verifies the delivery first and stores what comes out of here.
 */
import { z } from 'zod';
import type { BuildArtifact, BuildStatus, CiProvider } from '../contracts/ci';

export type BuildReport = {
  /** The provider's run (workflow run id, pipeline id, generic run_id); a push has none yet. */
  runId: string | null;
  commit: string;
  /** Always a full ref (`refs/heads/main`, `refs/tags/v1.2.0`). */
  ref: string | null;
  /** null: the event says nothing of the build's state (a push only announces the commit). */
  status: BuildStatus | null;
  runNumber: string | null;
  /** What the sender says it built; null when it names nothing (the pipeline's template is used). */
  artifacts: BuildArtifact[] | null;
};

export type ReadReport =
  | { ok: true; report: BuildReport }
  | { ok: false; ignored: string }
  | { ok: false; invalid: { path: string; message: string }[] };

const Sha = z.string().regex(/^[0-9a-f]{7,64}$/i, 'a commit hash');
const Text = z.string().min(1).max(1024);
/** Provider ids arrive as numbers; they are kept as opaque strings. */
const RunId = z.union([z.number().int().nonnegative(), z.string().min(1).max(128)]).transform(String);

const fullRef = (name: string, tag: boolean) => `refs/${tag ? 'tags' : 'heads'}/${name}`;
const ZERO_SHA = /^0+$/;

const GithubPush = z.object({
  ref: Text,
  after: Sha,
  deleted: z.boolean().optional(),
});

const GithubWorkflowRun = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: RunId,
    run_number: z.number().int().nonnegative().optional(),
    head_sha: Sha,
    head_branch: Text.nullable(),
    status: z.string(),
    conclusion: z.string().nullable(),
  }),
});

const GitlabPush = z.object({
  object_kind: z.enum(['push', 'tag_push']),
  ref: Text,
  checkout_sha: Sha.nullable(),
});

const GitlabPipeline = z.object({
  object_kind: z.literal('pipeline'),
  object_attributes: z.object({
    id: RunId,
    iid: z.number().int().nonnegative().optional(),
    ref: Text,
    tag: z.boolean(),
    sha: Sha,
    status: z.string(),
  }),
});

export const GenericReport = z.object({
  run_id: RunId,
  commit: Sha,
  ref: Text,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  run_number: z
    .union([z.number().int().nonnegative(), z.string().min(1).max(64)])
    .transform(String)
    .optional(),
  artifacts: z
    .array(
      z.object({
        image: z.string().min(1).max(512),
        digest: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>')
          .nullable()
          .optional(),
      }),
    )
    .max(50)
    .optional(),
});

/** GitHub: `status` says where the run is; `conclusion` how it ended once `completed`. */
function githubStatus(status: string, conclusion: string | null): BuildStatus {
  if (status === 'completed') return conclusion === 'success' ? 'succeeded' : 'failed';
  if (status === 'in_progress') return 'running';
  return 'queued';
}

/** GitLab pipeline states; `canceled` and `skipped` never produced what was asked for. */
function gitlabStatus(status: string): BuildStatus {
  if (status === 'success') return 'succeeded';
  if (status === 'failed' || status === 'canceled' || status === 'skipped') return 'failed';
  if (status === 'running') return 'running';
  return 'queued';
}

function parse<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | ReadReport {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    invalid: r.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  };
}

const done = (report: BuildReport): ReadReport => ({ ok: true, report });

function readGithub(event: string | undefined, body: unknown): ReadReport {
  if (event === 'push') {
    const p = parse(GithubPush, body);
    if (!('value' in p)) return p;
    if (p.value.deleted || ZERO_SHA.test(p.value.after)) return { ok: false, ignored: 'a deleted ref' };
    return done({
      runId: null,
      commit: p.value.after,
      ref: p.value.ref,
      status: null,
      runNumber: null,
      artifacts: null,
    });
  }
  if (event === 'workflow_run') {
    const p = parse(GithubWorkflowRun, body);
    if (!('value' in p)) return p;
    const run = p.value.workflow_run;
    return done({
      runId: run.id,
      commit: run.head_sha,
      ref: run.head_branch ? fullRef(run.head_branch, false) : null,
      status: githubStatus(run.status, run.conclusion),
      runNumber: run.run_number === undefined ? null : String(run.run_number),
      artifacts: null,
    });
  }
  return { ok: false, ignored: `GitHub event ${event ?? '(none)'} says nothing about a build` };
}

function readGitlab(event: string | undefined, body: unknown): ReadReport {
  if (event === 'Push Hook' || event === 'Tag Push Hook') {
    const p = parse(GitlabPush, body);
    if (!('value' in p)) return p;
    if (!p.value.checkout_sha || ZERO_SHA.test(p.value.checkout_sha))
      return { ok: false, ignored: 'a deleted ref' };
    return done({
      runId: null,
      commit: p.value.checkout_sha,
      ref: p.value.ref,
      status: null,
      runNumber: null,
      artifacts: null,
    });
  }
  if (event === 'Pipeline Hook') {
    const p = parse(GitlabPipeline, body);
    if (!('value' in p)) return p;
    const a = p.value.object_attributes;
    return done({
      runId: a.id,
      commit: a.sha,
      ref: fullRef(a.ref, a.tag),
      status: gitlabStatus(a.status),
      runNumber: a.iid === undefined ? null : String(a.iid),
      artifacts: null,
    });
  }
  return { ok: false, ignored: `GitLab event ${event ?? '(none)'} says nothing about a build` };
}

function readGeneric(body: unknown): ReadReport {
  const p = parse(GenericReport, body);
  if (!('value' in p)) return p;
  const g = p.value;
  return done({
    runId: g.run_id,
    commit: g.commit,
    ref: g.ref.startsWith('refs/') ? g.ref : fullRef(g.ref, false),
    status: g.status,
    runNumber: g.run_number ?? null,
    artifacts: g.artifacts ? g.artifacts.map((a) => ({ image: a.image, digest: a.digest ?? null })) : null,
  });
}

/** Reads one verified delivery; `event` is the provider's event header (GitHub, GitLab). */
export function readReport(provider: CiProvider, event: string | undefined, body: unknown): ReadReport {
  switch (provider) {
    case 'github_actions':
      return readGithub(event, body);
    case 'gitlab_ci':
      return readGitlab(event, body);
    case 'jenkins':
    case 'generic':
      return readGeneric(body);
  }
}

/** Glob over a branch or tag name: `*` matches any run of characters, everything else itself. */
export function refMatches(filter: string, name: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

/**
 * Whether a pipeline's filters let a ref through: a branch must match `branch_filter` and a tag
 * `tag_filter` where set.
 */
export function refAllowed(
  p: { branchFilter: string | null; tagFilter: string | null },
  ref: string | null,
): boolean {
  if (ref === null) return true;
  if (ref.startsWith('refs/tags/')) {
    const tag = ref.slice('refs/tags/'.length);
    return p.tagFilter === null ? true : refMatches(p.tagFilter, tag);
  }
  const branch = ref.replace(/^refs\/heads\//, '');
  return p.branchFilter === null ? true : refMatches(p.branchFilter, branch);
}
