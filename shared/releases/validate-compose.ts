/**
 * Static checks of a rendered compose file before it is previewed. The runner ships this one file
 * to every host and runs it under the target's project name, so everything must be in it: images
 * come from the team's CI (`build` is refused: the platform integrates with CI, it does not build)
 * and `include` or `extends.file`, which would read other files on the host, are refused.
 *
 * Privileged containers, host namespaces and bind mounts of `/` or the Docker socket are warnings,
 * not refusals: whoever may deploy compose to a host already drives its Docker daemon (root in all
 * but name), so refusing `privileged` alone would protect nothing; the approver sees the warning.
 */
import type { FieldError } from '../errors';
import { isPlainObject, keyPath, parseYamlDocuments } from './yaml';

/** compose-spec's service name rule. */
export const COMPOSE_SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

export type ComposeValidation =
  | { ok: true; document: Record<string, unknown>; services: string[]; warnings: FieldError[] }
  | { ok: false; fields: FieldError[] };

const svcPath = (name: string) => `services${keyPath(name)}`;

export function validateCompose(text: string): ComposeValidation {
  const parsed = parseYamlDocuments(text, () => 'document', 'compose');
  if (!parsed.ok) return parsed;
  const docs = parsed.documents.filter((d) => !d.empty);
  if (docs.length !== 1) {
    return { ok: false, fields: [{ path: 'document', message: 'must be exactly one YAML document' }] };
  }
  const document = docs[0]?.value;
  if (!isPlainObject(document)) {
    return { ok: false, fields: [{ path: 'document', message: 'must be a mapping with services' }] };
  }

  const fields: FieldError[] = [];
  const warnings: FieldError[] = [];
  if (document.include !== undefined) {
    fields.push({ path: 'include', message: 'refers to files on the host: put everything in this one file' });
  }
  const services = document.services;
  if (!isPlainObject(services) || Object.keys(services).length === 0) {
    fields.push({ path: 'services', message: 'must be a mapping with at least one service' });
    return { ok: false, fields };
  }
  for (const [name, service] of Object.entries(services)) {
    const at = svcPath(name);
    if (!COMPOSE_SERVICE_NAME.test(name)) {
      fields.push({ path: at, message: 'service names are letters, digits, ".", "_" and "-"' });
    }
    if (!isPlainObject(service)) {
      fields.push({ path: at, message: 'must be a mapping with an image' });
      continue;
    }
    checkService(service, at, fields, warnings);
  }
  if (fields.length) return { ok: false, fields };
  return { ok: true, document, services: Object.keys(services).sort(), warnings };
}

function checkService(
  service: Record<string, unknown>,
  at: string,
  fields: FieldError[],
  warnings: FieldError[],
) {
  if (service.build !== undefined) {
    fields.push({
      path: `${at}.build`,
      message: 'the platform does not build images: give the image your CI built',
    });
  }
  if (typeof service.image !== 'string' || service.image.trim() === '') {
    fields.push({ path: `${at}.image`, message: 'must name the image to run' });
  }
  if (isPlainObject(service.extends) && service.extends.file !== undefined) {
    fields.push({
      path: `${at}.extends.file`,
      message: 'refers to a file on the host: extend a service of this file',
    });
  }
  const replicas = isPlainObject(service.deploy) ? service.deploy.replicas : undefined;
  if (replicas !== undefined && !isCount(replicas)) {
    fields.push({ path: `${at}.deploy.replicas`, message: 'must be a whole number, 0 or more' });
  }
  if (service.scale !== undefined && !isCount(service.scale)) {
    fields.push({ path: `${at}.scale`, message: 'must be a whole number, 0 or more' });
  }

  if (service.privileged === true) warnings.push({ path: `${at}.privileged`, message: 'runs privileged' });
  for (const field of ['network_mode', 'pid', 'ipc'] as const) {
    if (service[field] === 'host')
      warnings.push({ path: `${at}.${field}`, message: "shares the host's namespace" });
  }
  const volumes = Array.isArray(service.volumes) ? service.volumes : [];
  volumes.forEach((v, i) => {
    const source = typeof v === 'string' ? v.split(':')[0] : isPlainObject(v) ? v.source : undefined;
    if (source === '/' || (typeof source === 'string' && source.endsWith('docker.sock'))) {
      warnings.push({ path: `${at}.volumes[${i}]`, message: 'mounts the host root or the Docker socket' });
    }
  });
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** `deploy.replicas`, then the older `scale`, then compose's default of one container. */
export function composeReplicas(service: Record<string, unknown>): number {
  const replicas = isPlainObject(service.deploy) ? service.deploy.replicas : undefined;
  if (isCount(replicas)) return replicas;
  return isCount(service.scale) ? service.scale : 1;
}
