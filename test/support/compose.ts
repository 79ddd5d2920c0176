/**
 * Work orders, step recorders and compose files for the compose adapter's tests. Every step report
 * is checked against the wire schema as it is made, so a name or field the platform would refuse
 * fails the test that made it.
 */

import type { RunContext } from '../../runner/jobs/steps';
import type { RemoteShell } from '../../runner/ssh/types';
import type { HostAccess, ReleaseWork } from '../../shared/jobs/claim';
import { StepReport } from '../../shared/jobs/kinds';

/** A well-formed fingerprint no real key has. */
export const OBSERVED_KEY = `SHA256:${'k8smTestHostKey'.padEnd(43, 'A')}`;

export const hostId = (n: number) => `hst_${String(n).padStart(4, '0')}abcdefghjkmnpqrstvwx`.slice(0, 28);

export function host(id: string): HostAccess {
  return {
    id,
    name: `test-${id}`,
    address: '127.0.0.1',
    port: 22,
    username: 'deploy',
    host_key: null,
    auth: { kind: 'ssh_password', password: `host-password-${id}` },
  };
}

export function work(
  project: string,
  rendered: string,
  hosts: HostAccess[],
  secrets: string[] = [],
): ReleaseWork {
  return {
    kind: 'release_apply',
    release: {
      release_id: 'rel_test',
      target_id: 'tgt_test',
      runtime_type: 'compose',
      strategy: 'rolling',
      revision_digest: 'sha256:test',
      rollback_of: null,
    },
    target: { id: 'tgt_test', runtime_type: 'compose', namespace: null, compose_project: project },
    rendered,
    previous_rendered: null,
    secret_values: secrets,
    hosts,
    cluster: null,
  };
}

export function recorder(attempt = 1): { ctx: RunContext; reports: StepReport[] } {
  const reports: StepReport[] = [];
  const ctx: RunContext = {
    attempt,
    signal: new AbortController().signal,
    steps: { report: (s) => reports.push(StepReport.parse(s)) },
  };
  return { ctx, reports };
}

/** The final status of each step, in the order the steps started. */
export function finalSteps(reports: StepReport[]): { name: string; status: string; host_id?: string }[] {
  const order: string[] = [];
  const last = new Map<string, StepReport>();
  for (const r of reports) {
    if (!last.has(r.name)) order.push(r.name);
    last.set(r.name, r);
  }
  return order.map((name) => {
    const r = last.get(name)!;
    return { name, status: r.status, ...(r.host_id ? { host_id: r.host_id } : {}) };
  });
}

/** A connect function over prepared shells, recording which hosts it was asked for. */
export function connector(shells: Record<string, RemoteShell>) {
  const calls: string[] = [];
  const connect = async (h: HostAccess) => {
    calls.push(h.id);
    const shell = shells[h.id];
    if (!shell) throw new Error(`no route to ${h.address}`);
    return { shell, observedHostKey: OBSERVED_KEY };
  };
  return { connect, calls };
}

export type ServiceSpec = {
  image: string;
  /** Shell script run by busybox sh; `$$` is a literal `$` for compose. */
  script?: string;
  env?: Record<string, string>;
  /** A healthcheck command (CMD form), checked every second. */
  health?: string[];
  retries?: number;
};

/**
 * A compose file. `init: true` puts docker-init in front, so a container stops on SIGTERM at once
 * instead of after the 10 s grace a PID 1 without handlers would take.
 */
export function composeFile(services: Record<string, ServiceSpec>): string {
  const out = ['services:'];
  for (const [name, s] of Object.entries(services)) {
    out.push(`  ${name}:`, `    image: ${s.image}`, '    init: true');
    if (s.script) out.push(`    command: ${JSON.stringify(['sh', '-c', s.script])}`);
    if (s.env) {
      out.push('    environment:');
      for (const [k, v] of Object.entries(s.env)) out.push(`      ${k}: ${JSON.stringify(v)}`);
    }
    if (s.health) {
      out.push(
        '    healthcheck:',
        `      test: ${JSON.stringify(['CMD', ...s.health])}`,
        '      interval: 1s',
        '      timeout: 2s',
        `      retries: ${s.retries ?? 5}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** A web service that prints its tag and serves /etc, healthy once it answers. */
export const webService = (image: string, env?: Record<string, string>): ServiceSpec => ({
  image,
  script: 'echo "tag=$$(cat /etc/k8sm-tag) token=$$APP_TOKEN"; exec httpd -f -p 8080 -h /etc',
  ...(env ? { env } : {}),
  health: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/k8sm-tag'],
});
