import { eq } from 'drizzle-orm';
import { environments, services } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import { lastFailedSteps } from '../jobs/repo';
import type { Grants } from '../rbac/enforcer';
import { MASK } from '../releases/applied-values';
import { summarizeDiagnostics } from '../releases/diagnostics-summary';
import { findRelease, type ReleaseRow } from '../releases/repo';
import { openRevision } from '../releases/revision';
import { findTarget } from '../targets/repo';

/** A few lines of output, enough to see the error, never a log dump. */
const EXCERPT_CHARS = 800;

/** What an error code usually means and what to do next; the codes runners report (runner/). */
const CAUSES: Record<string, [cause: string, next: string]> = {
  SSH_CONNECT: [
    'the runner could not reach a host over SSH',
    'check the host is up and its SSH port open from the runner, then test the host connection',
  ],
  SSH_AUTH: [
    'the host refused the SSH credential',
    'rotate or re-import the host credential, then test the host connection',
  ],
  HOST_KEY_MISMATCH: [
    'the host presented a different SSH host key than the one pinned',
    'verify the host, then reset its host key on the hosts page',
  ],
  IMAGE_PULL_FAILED: [
    'the image could not be pulled',
    'check the image tag exists in the registry and the host can reach it',
  ],
  COMPOSE_FAILED: [
    'docker compose failed on a host',
    'read the output excerpt; fix the compose file or variables and deploy again',
  ],
  COMPOSE_NOT_FOUND: [
    'docker compose is not installed on a host',
    'install the compose runtime on the host (environment install)',
  ],
  K8S_REJECTED: [
    'the cluster rejected the manifest',
    'read the message; fix the manifest or variables and deploy again',
  ],
  CLUSTER_UNREACHABLE: [
    'the runner could not reach the cluster API',
    'check the cluster endpoint and credential, then test the cluster connection',
  ],
  TLS_UNTRUSTED: ['the cluster certificate is not trusted', 'import the cluster with its CA certificate'],
  ROLLOUT_TIMEOUT: [
    'the new version did not become ready in time',
    'look at the workload events and logs; roll back if the previous version was healthy',
  ],
  ROLLOUT_FAILED: [
    'the new version failed to roll out',
    'look at the workload events and logs; roll back if the previous version was healthy',
  ],
  TIMEOUT: ['the job ran out of time', 'check the runner and the target, then deploy again'],
  PREVIEW_STALE: ['the target changed after the preview', 'preview again and confirm the new preview'],
  CANCELLED: ['the release was cancelled', 'preview again when it should run'],
  DEAD_LETTERED: [
    'no runner finished the job after several tries',
    'check the runner pool has a healthy runner online',
  ],
};

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);

/** The tail of the output, with every value that is secret in the release masked once more. */
function excerptOf(text: string | null, secrets: string[]): string | null {
  if (!text) return null;
  let out = text.slice(-EXCERPT_CHARS);
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join(MASK);
  return out;
}

function outputOf(diagnostics: Record<string, unknown>, stepOutput: string | null): string | null {
  const hosts = Array.isArray(diagnostics.hosts) ? (diagnostics.hosts as Record<string, unknown>[]) : [];
  const failing = hosts.find((h) => h && typeof h === 'object' && str(h.failed_step)) ?? hosts[0];
  return (
    str(failing?.stderr_tail) ??
    str(failing?.logs_tail) ??
    str(diagnostics.logs_tail) ??
    str(diagnostics.message) ??
    stepOutput
  );
}

/**
 * A release's state and, when it failed, why (SPEC §7.3 explain_failure): the failing step, host,
 * error code, a masked output excerpt, the likely cause and the next action. Null when the caller
 * may not read the release (the generic and its runtime's read permission).
 */
export async function explainRelease(
  db: Db,
  keys: KeyProvider,
  grants: Grants,
  id: string,
): Promise<Record<string, unknown> | null> {
  const r = await findRelease(db, id);
  if (!r) return null;
  if (!(await grants.can('deploy:release:read', r.projectId))) return null;
  if (!(await grants.can(`deploy:${r.runtimeType}:read`, r.projectId))) return null;
  const base = await describe(db, r);
  if (r.lifecycleState !== 'failed') return base;
  const failed = (await lastFailedSteps(db, [r.id])).get(r.id);
  const summary = summarizeDiagnostics(
    r.diagnosticsJson ?? {},
    failed && {
      name: failed.name,
      hostId: failed.hostId,
      errorCode: failed.errorCode,
      detail: failed.detail,
    },
    0,
  );
  const secrets = await secretValues(keys, r);
  const [cause, next] = (summary.error_code && CAUSES[summary.error_code]) || [
    'the step failed without a code the platform knows',
    'read the release diagnostics on the release page',
  ];
  return {
    ...base,
    failing_step: summary.failed_step,
    host_id: summary.host_id,
    error_code: summary.error_code,
    message: excerptOf(summary.message, secrets),
    output_excerpt: excerptOf(outputOf(r.diagnosticsJson ?? {}, failed?.output ?? null), secrets),
    likely_cause: cause,
    next_action: next,
  };
}

async function describe(db: Db, r: ReleaseRow) {
  const [s] = await db.select({ name: services.name }).from(services).where(eq(services.id, r.serviceId));
  const [e] = await db
    .select({ name: environments.name })
    .from(environments)
    .where(eq(environments.id, r.environmentId));
  const t = await findTarget(db, r.targetId);
  return {
    release_id: r.id,
    lifecycle_state: r.lifecycleState,
    service: s?.name ?? null,
    environment: e?.name ?? null,
    target: t?.name ?? null,
    runtime_type: r.runtimeType,
    risk_level: r.riskLevel,
  };
}

/** Trimmed or not, the sealed values are the ones a runner could have printed. */
async function secretValues(keys: KeyProvider, r: ReleaseRow): Promise<string[]> {
  if (!r.secretEnvelope) return [];
  try {
    return Object.values((await openRevision(keys, r)).secret_values);
  } catch {
    return [];
  }
}
