/**
 * What the Kubernetes adapter tests share: a work order pointed at the fixture, a run context
 * whose step reports are kept for inspection, and a small manifest builder.
 */
import { randomUUID } from 'node:crypto';
import type { RunContext } from '../../../runner/jobs/steps';
import type { ClusterAccess, ReleaseWork } from '../../../shared/jobs/claim';
import type { StepReport } from '../../../shared/jobs/kinds';
import type { K8sFixture } from './server';

export function tokenAccess(f: K8sFixture, over: Partial<ClusterAccess> = {}): ClusterAccess {
  return { id: 'cl-1', server: f.url, ca: f.ca, auth: { kind: 'token', token: f.token }, ...over };
}

export function certAccess(f: K8sFixture, cert = f.clientCert, key = f.clientKey): ClusterAccess {
  return { id: 'cl-1', server: f.url, ca: f.ca, auth: { kind: 'client_cert', cert, key } };
}

export function releaseWork(
  f: K8sFixture,
  o: {
    namespace: string;
    rendered: string;
    previous?: string | null;
    secrets?: string[];
    targetId?: string;
    releaseId?: string;
    rollbackOf?: string;
    cluster?: ClusterAccess;
  },
): ReleaseWork {
  const targetId = o.targetId ?? 'tg-1';
  return {
    kind: 'release_apply',
    release: {
      release_id: o.releaseId ?? `rel-${randomUUID().slice(0, 8)}`,
      target_id: targetId,
      runtime_type: 'k8s',
      strategy: 'rolling',
      revision_digest: 'sha256:0',
      rollback_of: o.rollbackOf ?? null,
    },
    target: { id: targetId, runtime_type: 'k8s', namespace: o.namespace, compose_project: null },
    rendered: o.rendered,
    previous_rendered: o.previous ?? null,
    secret_values: o.secrets ?? [],
    hosts: [],
    cluster: o.cluster ?? tokenAccess(f),
  };
}

export function recordingContext(): RunContext & { reports: StepReport[]; controller: AbortController } {
  const reports: StepReport[] = [];
  const controller = new AbortController();
  return {
    steps: { report: (s) => void reports.push(s) },
    attempt: 1,
    signal: controller.signal,
    reports,
    controller,
  };
}

/** The last report of each step, by name. */
export const finalSteps = (reports: StepReport[]) =>
  Object.fromEntries(reports.filter((r) => r.status !== 'running').map((r) => [r.name, r]));

export function deployment(name: string, namespace: string, image: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
}

export function configMap(
  name: string,
  namespace: string,
  data: Record<string, string> = { greeting: 'hello' },
) {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n${lines.join('\n')}\n`;
}

export const docs = (...parts: string[]) => parts.join('---\n');
