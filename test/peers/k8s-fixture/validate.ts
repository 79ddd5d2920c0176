/**
 * Per-kind checks the API server's validation makes, the ones a broken template or adapter would
 * run into first. Messages follow kube-apiserver's `field: Invalid value: …` form but never echo
 * a Secret's value.
 */
import { isDeepStrictEqual } from 'node:util';
import { invalid, isObject, metadataCauses, type ResourceDef, StatusError } from './resources';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CONTAINER_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const isWorkload = (kind: string) => WORKLOADS.has(kind);

export function validateObject(
  def: ResourceDef,
  obj: Record<string, unknown>,
  previous: Record<string, unknown> | null,
): void {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = String(meta.name ?? '');
  const causes = metadataCauses(meta);
  if (isWorkload(def.kind)) causes.push(...workloadCauses(obj, previous));
  if (def.kind === 'Secret' || def.kind === 'ConfigMap') {
    for (const field of ['data', 'stringData'] as const) {
      const data = obj[field];
      if (data === undefined) continue;
      if (!isObject(data)) {
        causes.push(`${field}: Invalid value: must be a map`);
        continue;
      }
      for (const [k, v] of Object.entries(data)) {
        if (!CONFIG_KEY.test(k)) causes.push(`${field}[${k}]: Invalid value: a valid config key`);
        if (typeof v !== 'string') causes.push(`${field}[${k}]: Invalid value: must be a string`);
        // Decoding fails before validation on a real server: a 400, not a 422.
        else if (def.kind === 'Secret' && field === 'data' && !BASE64.test(v))
          throw new StatusError(
            400,
            'BadRequest',
            `Secret in version "v1" cannot be handled: illegal base64 data`,
          );
      }
    }
  }
  if (def.kind === 'Service' && isObject(obj.spec) && Array.isArray(obj.spec.ports)) {
    obj.spec.ports.forEach((p: unknown, i) => {
      const port = isObject(p) ? p.port : undefined;
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
        causes.push(`spec.ports[${i}].port: Invalid value: must be between 1 and 65535`);
    });
  }
  if (causes.length) throw invalid(def.kind, name, causes);
}

function workloadCauses(obj: Record<string, unknown>, previous: Record<string, unknown> | null): string[] {
  const spec = isObject(obj.spec) ? obj.spec : null;
  if (!spec) return ['spec: Required value'];
  const causes: string[] = [];
  const selector =
    isObject(spec.selector) && isObject(spec.selector.matchLabels) ? spec.selector.matchLabels : null;
  if (!selector || Object.keys(selector).length === 0) causes.push('spec.selector: Required value');
  const template = isObject(spec.template) ? spec.template : {};
  const labels =
    isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v))
    causes.push('spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`');
  const podSpec = isObject(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.length === 0) causes.push('spec.template.spec.containers: Required value');
  containers.forEach((c: unknown, i) => {
    const at = `spec.template.spec.containers[${i}]`;
    if (!isObject(c)) {
      causes.push(`${at}: Invalid value: must be an object`);
      return;
    }
    if (typeof c.name !== 'string' || !CONTAINER_NAME.test(c.name)) causes.push(`${at}.name: Invalid value`);
    if (typeof c.image !== 'string' || c.image.trim() === '') causes.push(`${at}.image: Required value`);
  });
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0))
    causes.push('spec.replicas: Invalid value: must be greater than or equal to 0');
  const before = previous && isObject(previous.spec) ? previous.spec.selector : undefined;
  if (previous && !isDeepStrictEqual(before, spec.selector))
    causes.push('spec.selector: Invalid value: field is immutable');
  return causes;
}
