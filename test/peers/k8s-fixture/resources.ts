/**
 * What the fixture serves: the discovery documents a client reads to turn apiVersion + kind into a
 * URL (client-node's KubernetesObjectApi GETs `/api/v1` or `/apis/<group>/<version>` and looks the
 * kind up in `resources`), the Status error shape, and the field checks an API server makes on
 * every object. Pods and Events are read-only here: the fixture makes them from its workloads.
 */
export type ResourceDef = {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
};

const RW = ['get', 'list', 'patch', 'delete'];
const RO = ['get', 'list'];
const def = (gv: string, name: string, kind: string, namespaced = true, verbs = RW): ResourceDef => {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  return { group, version, name, singularName: kind.toLowerCase(), kind, namespaced, verbs };
};

export const RESOURCES: ResourceDef[] = [
  def('v1', 'configmaps', 'ConfigMap'),
  def('v1', 'secrets', 'Secret'),
  def('v1', 'services', 'Service'),
  def('v1', 'serviceaccounts', 'ServiceAccount'),
  def('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  def('v1', 'pods', 'Pod', true, RO),
  def('v1', 'events', 'Event', true, RO),
  def('v1', 'namespaces', 'Namespace', false, RO),
  def('v1', 'nodes', 'Node', false, RO),
  def('apps/v1', 'deployments', 'Deployment'),
  def('apps/v1', 'statefulsets', 'StatefulSet'),
  def('apps/v1', 'daemonsets', 'DaemonSet'),
  def('batch/v1', 'jobs', 'Job'),
  def('batch/v1', 'cronjobs', 'CronJob'),
  def('networking.k8s.io/v1', 'ingresses', 'Ingress'),
  def('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy'),
  def('rbac.authorization.k8s.io/v1', 'roles', 'Role'),
  def('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding'),
  def('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false, RO),
];

export const apiVersionOf = (d: Pick<ResourceDef, 'group' | 'version'>) =>
  d.group ? `${d.group}/${d.version}` : d.version;

export function resourceList(group: string, version: string) {
  const items = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (items.length === 0) return null;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: items.map(({ name, singularName, kind, namespaced, verbs }) => ({
      name,
      singularName,
      kind,
      namespaced,
      verbs,
    })),
  };
}

export function groupList() {
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((gv) => {
      const [name, version] = gv.split('/') as [string, string];
      const v = { groupVersion: gv, version };
      return { name, versions: [v], preferredVersion: v };
    }),
  };
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  body() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFound = (resource: string, name: string) =>
  new StatusError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function invalid(kind: string, name: string, causes: string[]) {
  return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${causes.join(', ')}`, {
    name,
    kind,
    causes: causes.map((message) => ({ message })),
  });
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The checks kube-apiserver makes on metadata of every kind: name, labels, annotations. */
export function metadataCauses(meta: Record<string, unknown>): string[] {
  const causes: string[] = [];
  const name = String(meta.name ?? '');
  if (!SUBDOMAIN.test(name))
    causes.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain`);
  const labels = meta.labels ?? {};
  if (!isObject(labels)) causes.push('metadata.labels: Invalid value: must be a map of strings');
  else
    for (const [k, v] of Object.entries(labels)) {
      const [prefix, key] = k.includes('/') ? k.split('/', 2) : [undefined, k];
      if ((prefix !== undefined && !SUBDOMAIN.test(prefix)) || !LABEL_NAME.test(key ?? ''))
        causes.push(
          `metadata.labels: Invalid value: "${k}": name part must consist of alphanumeric characters`,
        );
      if (typeof v !== 'string' || (v !== '' && !LABEL_NAME.test(v)))
        causes.push(
          `metadata.labels: Invalid value: "${String(v)}": a valid label must be 63 characters or less`,
        );
    }
  const annotations = meta.annotations ?? {};
  if (!isObject(annotations) || Object.values(annotations).some((v) => typeof v !== 'string'))
    causes.push('metadata.annotations: Invalid value: must be a map of strings');
  return causes;
}
