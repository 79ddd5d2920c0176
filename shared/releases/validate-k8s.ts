/**
 * Static checks of a rendered Kubernetes manifest before it is previewed, and its normalised form.
 * A k8s target is a namespace: every document lands in it (a document naming another namespace is
 * refused, one naming none gets it), and kinds that live outside any namespace are refused, so a
 * deployer of one namespace cannot reach the rest of the cluster through a template. Kinds this list
 * does not know (custom resources) are namespaced by the forced namespace; the runner's adapter
 * still refuses a kind the cluster reports as cluster-scoped.
 */
import type { FieldError } from '../errors';
import { isPlainObject, joinPath, keyPath, parseYamlDocuments, stringifyYamlDocuments } from './yaml';

/** Built-in cluster-scoped kinds, plus the well-known ones of common add-ons. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** RFC 1123 subdomain: what most object names must be. */
export const DNS1123_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 label: namespaces. */
export const DNS1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names become DNS labels that must start with a letter. */
const DNS1035_LABEL = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;

const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+([a-z]+[0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

export type K8sDocument = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace: string };
};

export type K8sValidation =
  | { ok: true; documents: K8sDocument[]; text: string; warnings: FieldError[] }
  | { ok: false; fields: FieldError[] };

const docPath = (i: number) => `documents[${i}]`;

/**
 * Field paths count every document of the file, empty ones included, so `documents[2]` is the third
 * `---` section the author sees. `warnings` are not refusals: the preview shows them as a `warn`
 * check (privileged containers and host namespaces are the cluster's policy to forbid).
 */
export function validateK8s(text: string, namespace: string): K8sValidation {
  if (!DNS1123_LABEL.test(namespace))
    throw new Error(`target namespace is not a DNS-1123 label: ${namespace}`);
  const parsed = parseYamlDocuments(text, docPath);
  if (!parsed.ok) return parsed;

  const fields: FieldError[] = [];
  const warnings: FieldError[] = [];
  const documents: K8sDocument[] = [];
  const seen = new Map<string, number>();
  for (const { index, value, empty } of parsed.documents) {
    if (empty) continue;
    const at = docPath(index);
    if (!isPlainObject(value)) {
      fields.push({ path: at, message: 'must be a mapping with apiVersion, kind and metadata' });
      continue;
    }
    const doc = checkDocument(value, at, namespace, fields);
    if (!doc) continue;
    const id = `${doc.kind}/${doc.metadata.name}`;
    const first = seen.get(id);
    if (first !== undefined) {
      fields.push({ path: `${at}.metadata.name`, message: `duplicate ${id} (first in ${docPath(first)})` });
      continue;
    }
    seen.set(id, index);
    warnings.push(...podSecurityWarnings(doc, at));
    documents.push(doc);
  }
  if (fields.length) return { ok: false, fields };
  if (documents.length === 0) return { ok: false, fields: [{ path: 'documents', message: 'no documents' }] };
  return { ok: true, documents, text: stringifyYamlDocuments(documents), warnings };
}

function checkDocument(
  value: Record<string, unknown>,
  at: string,
  namespace: string,
  fields: FieldError[],
): K8sDocument | null {
  const before = fields.length;
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
    fields.push({ path: `${at}.apiVersion`, message: 'must be an API version such as v1 or apps/v1' });
  }
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    fields.push({ path: `${at}.kind`, message: 'must be a kind such as Deployment' });
  } else if (kind.endsWith('List')) {
    fields.push({
      path: `${at}.kind`,
      message: 'a List is not accepted: write each item as its own document',
    });
  } else if (CLUSTER_SCOPED_KINDS.has(kind)) {
    fields.push({
      path: `${at}.kind`,
      message: `${kind} is cluster-scoped: a target deploys only into its own namespace`,
    });
  }
  if (!isPlainObject(metadata)) {
    fields.push({ path: `${at}.metadata`, message: 'must be a mapping with a name' });
    return null;
  }
  const { name, namespace: declared, ...rest } = metadata;
  const nameRule = kind === 'Service' ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
  if (typeof name !== 'string' || !nameRule.test(name)) {
    fields.push({
      path: `${at}.metadata.name`,
      message:
        kind === 'Service'
          ? 'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter, at most 63'
          : 'must be a DNS-1123 name: lowercase letters, digits, "-" and ".", at most 253',
    });
  }
  if (declared !== undefined && declared !== null && declared !== namespace) {
    fields.push({
      path: `${at}.metadata.namespace`,
      message: `must be the target's namespace "${namespace}" (or left out)`,
    });
  }
  if (fields.length > before) return null;
  // name and namespace first, so the normalised text reads the way kubectl prints objects.
  return { ...value, metadata: { name, namespace, ...rest } } as K8sDocument;
}

export type PodSpecAt = { path: string; spec: Record<string, unknown> };

/** Where a kind keeps its pod spec: Pods directly, CronJobs two levels down, the rest in `template`. */
export function podSpecsOf(doc: Record<string, unknown>): PodSpecAt[] {
  const spec = doc.spec;
  if (!isPlainObject(spec)) return [];
  if (doc.kind === 'Pod') return [{ path: '.spec', spec }];
  const candidates: [string, unknown][] = [
    ['.spec.template.spec', getIn(spec, ['template', 'spec'])],
    ['.spec.jobTemplate.spec.template.spec', getIn(spec, ['jobTemplate', 'spec', 'template', 'spec'])],
  ];
  return candidates.flatMap(([path, s]) => (isPlainObject(s) ? [{ path, spec: s }] : []));
}

export type ContainerAt = { path: string; name: string; image: unknown; container: Record<string, unknown> };

/** Containers and init containers; names are unique across both within a pod. */
export function containersOf(pod: PodSpecAt): ContainerAt[] {
  return (['initContainers', 'containers'] as const).flatMap((field) => {
    const list = pod.spec[field];
    if (!Array.isArray(list)) return [];
    return list.flatMap((c, i) =>
      isPlainObject(c)
        ? [
            {
              path: `${pod.path}.${field}[${i}]`,
              name: String(c.name ?? `#${i}`),
              image: c.image,
              container: c,
            },
          ]
        : [],
    );
  });
}

function podSecurityWarnings(doc: K8sDocument, at: string): FieldError[] {
  const out: FieldError[] = [];
  for (const pod of podSpecsOf(doc)) {
    for (const flag of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (pod.spec[flag] === true) {
        out.push({ path: joinPath(at, `${pod.path}.${flag}`), message: "shares the node's namespace" });
      }
    }
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    volumes.forEach((v, i) => {
      if (isPlainObject(v) && v.hostPath !== undefined) {
        out.push({
          path: joinPath(at, `${pod.path}.volumes[${i}]${keyPath('hostPath')}`),
          message: 'mounts a path of the node',
        });
      }
    });
    for (const c of containersOf(pod)) {
      if (getIn(c.container, ['securityContext', 'privileged']) === true) {
        out.push({ path: joinPath(at, `${c.path}.securityContext.privileged`), message: 'runs privileged' });
      }
    }
  }
  return out;
}

export function getIn(value: unknown, keys: readonly string[]): unknown {
  let at = value;
  for (const k of keys) {
    if (!isPlainObject(at)) return undefined;
    at = at[k];
  }
  return at;
}
