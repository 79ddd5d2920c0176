/**
 * Request and response schemas of deploy targets and services (SPEC §4 "Targets, services"). The
 * routes validate with them and the OpenAPI document is generated from them.
 *
 * Placeholder syntax is checked with the release renderer's own scanner, so a template that saves
 * here is one the renderer can tokenize later.
 */
import { z } from 'zod';
import { scanTemplate, VARIABLE_NAME, VARIABLE_NAME_RULE } from '../releases/render';

export const RUNTIME_TYPES = ['k8s', 'compose'] as const;
export const RuntimeType = z.enum(RUNTIME_TYPES);
export type RuntimeType = z.infer<typeof RuntimeType>;

/** SPEC §3: a template above this answers 413 (UTF-8 bytes). */
export const TEMPLATE_MAX_BYTES = 512 * 1024;
/** A compose target deploys to at most this many hosts. */
export const MAX_TARGET_HOSTS = 20;
/**
 * Marks the zod issue of an oversized template; the route turns it into 413 instead of 422. The
 * same check in the schema keeps clients (the SPA) honest without a second rule.
 */
export const TOO_LARGE = 'too_large';

const Id = z.string().min(1).max(64);
const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 characters: lowercase letters, digits, "-"');
/** DNS-1123 label, as Kubernetes requires of a namespace name. */
export const Namespace = z
  .string()
  .regex(
    /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending alphanumeric',
  );
/** Docker Compose project names (`-p`): lowercase letters, digits, "_" and "-", first alphanumeric. */
export const ComposeProject = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'at most 63 lowercase letters, digits, "_" and "-", starting with a letter or digit',
  );
export const VariableName = z.string().regex(VARIABLE_NAME, VARIABLE_NAME_RULE);

// Targets

export const Target = z.object({
  id: z.string(),
  project_id: z.string(),
  environment_id: z.string(),
  name: z.string(),
  runtime_type: RuntimeType,
  cluster_id: z.string().nullable(),
  namespace: z.string().nullable(),
  host_ids: z.array(z.string()),
  compose_project: z.string().nullable(),
  applied_release_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Target = z.infer<typeof Target>;

/** Shape and per-runtime completeness; whether the referenced rows exist is the service's check. */
export const CreateTargetRequest = z
  .object({
    project_id: Id,
    environment_id: Id,
    name: Name,
    runtime_type: RuntimeType,
    cluster_id: Id.optional(),
    namespace: Namespace.optional(),
    host_ids: z.array(Id).max(MAX_TARGET_HOSTS).optional(),
    compose_project: ComposeProject.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const refuse = (field: 'cluster_id' | 'namespace' | 'host_ids' | 'compose_project') => {
      if (t[field] !== undefined) issue([field], `not used by a ${t.runtime_type} target`);
    };
    if (t.runtime_type === 'k8s') {
      if (t.cluster_id === undefined) issue(['cluster_id'], 'a k8s target needs its cluster');
      if (t.namespace === undefined) issue(['namespace'], 'a k8s target needs its namespace');
      refuse('host_ids');
      refuse('compose_project');
      return;
    }
    const hosts = t.host_ids ?? [];
    if (hosts.length === 0) issue(['host_ids'], `a compose target needs 1 to ${MAX_TARGET_HOSTS} hosts`);
    hosts.forEach((id, i) => {
      if (hosts.indexOf(id) !== i) issue(['host_ids', i], 'listed more than once');
    });
    if (t.compose_project === undefined)
      issue(['compose_project'], 'a compose target needs its project name');
    refuse('cluster_id');
    refuse('namespace');
  });
export type CreateTargetRequest = z.infer<typeof CreateTargetRequest>;

/**
 * What a target may change: its name and what it points at, within its runtime (the service
 * refuses fields of the other runtime). Its project, environment and runtime are fixed.
 */
export const PatchTargetRequest = z
  .object({
    name: Name.optional(),
    cluster_id: Id.optional(),
    namespace: Namespace.optional(),
    host_ids: z.array(Id).min(1).max(MAX_TARGET_HOSTS).optional(),
    compose_project: ComposeProject.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
  .superRefine((t, ctx) => {
    (t.host_ids ?? []).forEach((id, i, all) => {
      if (all.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['host_ids', i], message: 'listed more than once' });
    });
  });
export type PatchTargetRequest = z.infer<typeof PatchTargetRequest>;

export const ListTargetsQuery = z.object({
  project_id: Id.optional(),
  environment_id: Id.optional(),
  runtime_type: RuntimeType.optional(),
});

// Services

export const Service = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  k8s_manifest: z.string().nullable(),
  compose_file: z.string().nullable(),
  secret_variables: z.array(z.string()),
  description: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Service = z.infer<typeof Service>;

/**
 * What a Deploy form starts from (SPEC §7.1): the placeholders the service's template for the
 * target's runtime uses, which of them are secret, and the values of the target's applied release
 * of this service, secret ones as `***` (a preview re-uses them when left out).
 */
export const ServiceVariables = z.object({
  service_id: z.string(),
  target_id: z.string(),
  runtime_type: z.enum(['k8s', 'compose']),
  placeholders: z.array(z.string()),
  secret: z.array(z.string()),
  applied_release_id: z.string().nullable(),
  values: z.record(z.string(), z.string()),
});
export type ServiceVariables = z.infer<typeof ServiceVariables>;

/** Free text for people (SPEC §7.0): what the service is, who owns it. */
export const SERVICE_DESCRIPTION_MAX = 2000;
const Description = z.string().max(SERVICE_DESCRIPTION_MAX);

/** Over 512 KiB of UTF-8? Each UTF-16 unit is 1 to 3 bytes, so the length alone mostly decides. */
export function templateTooLarge(s: string): boolean {
  if (s.length > TEMPLATE_MAX_BYTES) return true;
  if (s.length * 3 <= TEMPLATE_MAX_BYTES) return false;
  return new TextEncoder().encode(s).length > TEMPLATE_MAX_BYTES;
}

/**
 * A template: at most 512 KiB (the issue carries `params.reason = too_large`, answered with 413),
 * and every `${` is a well-formed `${VAR}` or the `$${` escape. Messages name the line, never
 * template contents beyond the malformed placeholder itself.
 */
const Template = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    if (templateTooLarge(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `larger than ${TEMPLATE_MAX_BYTES / 1024} KiB`,
        params: { reason: TOO_LARGE },
      });
      return;
    }
    for (const f of scanTemplate(text).fields) ctx.addIssue({ code: 'custom', message: f.message });
  });

const SecretVariables = z
  .array(VariableName)
  .max(200)
  .superRefine((names, ctx) => {
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: [i], message: 'listed more than once' });
    });
  });

export const CreateServiceRequest = z
  .object({
    project_id: Id,
    name: Name,
    k8s_manifest: Template.optional(),
    compose_file: Template.optional(),
    secret_variables: SecretVariables.optional(),
    description: Description.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.k8s_manifest === undefined && s.compose_file === undefined)
      for (const path of ['k8s_manifest', 'compose_file'])
        ctx.addIssue({ code: 'custom', path: [path], message: 'give k8s_manifest, compose_file or both' });
  });
export type CreateServiceRequest = z.infer<typeof CreateServiceRequest>;

/**
 * Partial; `null` removes a template (the service refuses removing the last one). Its project is
 * fixed; a new name must be free in the project, deleted services' names included.
 */
export const PatchServiceRequest = z
  .object({
    name: Name.optional(),
    k8s_manifest: Template.nullable().optional(),
    compose_file: Template.nullable().optional(),
    secret_variables: SecretVariables.optional(),
    description: Description.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, {
    message: 'give at least one field to change',
    // Not after another refusal (an unknown key is stripped first and would leave `{}` here).
    when: (payload) => payload.issues.length === 0,
  });
export type PatchServiceRequest = z.infer<typeof PatchServiceRequest>;

export const ListServicesQuery = z.object({ project_id: Id.optional() });
