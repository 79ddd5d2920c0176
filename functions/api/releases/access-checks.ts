import type { Check } from '../../../shared/releases';
import type { Db } from '../../platform/db/types';
import { findAnyCluster } from '../clusters/repo';
import { findAnyHost } from '../hosts/repo';
import type { TargetRow } from './repo';

/**
 * Preview checks from what the platform last saw of a target's hosts or cluster (SPEC §7.6): no
 * live probe runs, so each check names its source and age. A last test refused on authentication
 * or the host key fails the preview (apply is blocked: the job could only fail the same way); a
 * compose host whose last test found no compose fails with the install hint; never tested or
 * tested longer ago than the allowed age warns; an unreachable one warns (it may be back).
 */
export const DEFAULT_TEST_MAX_AGE_SECONDS = 86_400;
const REFUSALS: Record<string, string> = {
  SSH_AUTH: 'the host refused the login',
  HOST_KEY_MISMATCH: 'the host key changed since it was pinned',
  K8S_REJECTED: 'the cluster refused the credentials',
};
const COMPOSE_HINT =
  'install Docker with the compose plugin (`docker compose`) or docker-compose, then test the host again';

type Test = { error_code?: string | null; tested_at?: string; version?: string | null; job_id?: string };

function observed(test: Test | null, now: Date) {
  const at = test?.tested_at ? new Date(test.tested_at) : null;
  return {
    observed_at: at ? at.toISOString() : null,
    age_seconds: at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : null,
  };
}

function testCheck(what: string, name: string, test: Test | null, now: Date, maxAge: number): Check {
  const source = `${what} ${name} test${test?.job_id ? ` (job ${test.job_id})` : ''}`;
  const seen = observed(test, now);
  const base = { name: `${what}_access`, source, ...seen };
  if (!test || seen.age_seconds === null)
    return { ...base, status: 'warn', detail: `${what} ${name} was never tested: test its connection` };
  const code = test.error_code ?? null;
  if (code && REFUSALS[code])
    return {
      ...base,
      status: 'fail',
      detail: `${REFUSALS[code]} (${code}): fix its access and test it again`,
    };
  if (code) return { ...base, status: 'warn', detail: `the last test of ${what} ${name} failed (${code})` };
  if (seen.age_seconds > maxAge)
    return { ...base, status: 'warn', detail: `${what} ${name} was last tested more than ${maxAge} s ago` };
  return { ...base, status: 'pass', detail: `${what} ${name} answered its last test` };
}

type Compose = { dialect?: string | null; version?: string | null; seen_at?: string; job_id?: string };

function composeCheck(name: string, compose: Compose | null, now: Date): Check | null {
  if (!compose) return null; // never looked: the access check already warns
  const seen = observed(compose.seen_at ? { tested_at: compose.seen_at } : null, now);
  const base = { name: 'compose', source: `host ${name} test (job ${compose.job_id ?? '?'})`, ...seen };
  if (!compose.dialect)
    return { ...base, status: 'fail', detail: `host ${name} has no compose: ${COMPOSE_HINT}` };
  return {
    ...base,
    status: 'pass',
    detail: `host ${name} runs compose ${compose.dialect}${compose.version ? ` (${compose.version})` : ''}`,
  };
}

export async function accessChecks(
  db: Db,
  target: TargetRow,
  now: Date,
  maxAgeSeconds = DEFAULT_TEST_MAX_AGE_SECONDS,
): Promise<Check[]> {
  const checks: Check[] = [];
  if (target.runtimeType === 'compose') {
    for (const id of target.hostIds) {
      const h = await findAnyHost(db, id);
      if (!h) continue; // the target check speaks for a target that is not complete
      checks.push(testCheck('host', h.name, h.lastTest as Test | null, now, maxAgeSeconds));
      const c = composeCheck(h.name, h.compose as Compose | null, now);
      if (c) checks.push(c);
      if (h.jumpHostId) {
        const j = await findAnyHost(db, h.jumpHostId);
        if (j) checks.push(testCheck('host', j.name, j.lastTest as Test | null, now, maxAgeSeconds));
      }
    }
    return checks;
  }
  if (!target.clusterId) return checks;
  const cl = await findAnyCluster(db, target.clusterId);
  if (!cl) return checks;
  const test = cl.lastTest as (Test & { namespaces?: Record<string, boolean | null> }) | null;
  checks.push(testCheck('cluster', cl.name, test, now, maxAgeSeconds));
  if (test?.version && !test.error_code)
    checks.push({
      name: 'cluster_version',
      status: 'pass',
      detail: `cluster ${cl.name} runs Kubernetes ${test.version}`,
      source: `cluster ${cl.name} test`,
      ...observed(test, now),
    });
  const exists = target.namespace ? test?.namespaces?.[target.namespace] : undefined;
  if (target.namespace && exists !== undefined && exists !== null)
    checks.push({
      name: 'namespace',
      status: exists ? 'pass' : 'warn',
      detail: exists
        ? `namespace ${target.namespace} exists`
        : `namespace ${target.namespace} did not exist at the last test: create it before applying`,
      source: `cluster ${cl.name} test`,
      ...observed(test, now),
    });
  return checks;
}

/** The failed checks that block an apply, as the 409's fields. */
export const blockingChecks = (checks: Check[]) =>
  checks
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status === 'fail')
    .map(({ c, i }) => ({ path: `checks[${i}]`, message: `${c.name}: ${c.detail}` }));
