/**
 * The fixture's API surface behind authentication: discovery, get/list/apply/delete by URL, and
 * the refusals a real API server makes — unknown groups, resources, objects and namespaces (404),
 * methods a resource does not allow (405), an apply without `fieldManager` (422) or with another
 * content type (415; the JSON and merge patch types a real server also takes are not implemented),
 * an object whose apiVersion, kind, name or namespace differs from the URL (400), a delete whose
 * uid precondition no longer holds (409), plus validation (validate.ts) and field-manager
 * conflicts (store.ts).
 */
import { parse } from 'yaml';
import {
  apiVersionOf,
  groupList,
  isObject,
  RESOURCES,
  type ResourceDef,
  resourceList,
  StatusError,
} from './resources';
import { matchLabels } from './selector';
import type { Obj, Store } from './store';
import { isWorkload } from './validate';
import type { Behaviour, Workloads } from './workloads';

export type Failures = Behaviour & {
  /** An admission webhook's denial of applying this object, with this message. */
  deny: { kind: string; name: string; message: string } | null;
};
export type ApiRequest = { method: string; url: URL; contentType: string; body: string; user: string };
export type ApiResponse = { status: number; body: unknown };

const APPLY = 'application/apply-patch+yaml';
const notServed = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

export function createApi(store: Store, workloads: Workloads, failures: Failures) {
  const workloadsIn = (ns: string | null) =>
    RESOURCES.filter((r) => isWorkload(r.kind)).flatMap((d) => store.list(d, ns));

  function read(def: ResourceDef, ns: string | null, name: string): Obj {
    if (def.kind === 'Namespace') {
      if (!store.namespaces.has(name))
        throw new StatusError(404, 'NotFound', `namespaces "${name}" not found`);
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } };
    }
    if (def.kind === 'Pod' || def.kind === 'Event') {
      const found = list(def, ns).find((o) => o.metadata.name === name);
      if (!found) throw new StatusError(404, 'NotFound', `${def.name} "${name}" not found`);
      return found;
    }
    const obj = store.get(def, ns, name);
    if (isWorkload(def.kind) && ns) {
      obj.status = workloads.tick(obj);
      store.setStatus(def, ns, name, obj.status as Record<string, unknown>);
    }
    return obj;
  }

  function list(def: ResourceDef, ns: string | null): Obj[] {
    if (def.kind === 'Namespace') return [...store.namespaces].map((n) => read(def, null, n));
    if (def.kind === 'Pod') return workloads.pods(workloadsIn(ns));
    if (def.kind === 'Event') return ns ? workloads.eventsIn(ns) : [];
    return store.list(def, ns);
  }

  function apply(req: ApiRequest, def: ResourceDef, ns: string, name: string): ApiResponse {
    if (req.contentType.split(';')[0]!.trim() !== APPLY)
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${APPLY}`,
      );
    const manager = req.url.searchParams.get('fieldManager');
    if (!manager)
      throw new StatusError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    const force = req.url.searchParams.get('force');
    if (force !== null && force !== 'true' && force !== 'false')
      throw new StatusError(400, 'BadRequest', `invalid boolean value for force: ${force}`);
    let body: unknown;
    try {
      body = parse(req.body);
    } catch {
      throw new StatusError(400, 'BadRequest', 'error decoding YAML: the body is not valid YAML or JSON');
    }
    if (!isObject(body)) throw new StatusError(400, 'BadRequest', 'the body must be an object');
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (body.apiVersion !== apiVersionOf(def) || body.kind !== def.kind)
      throw new StatusError(
        400,
        'BadRequest',
        `the API version and kind in the data (${String(body.apiVersion)}, ${String(body.kind)}) do not match the URL (${apiVersionOf(def)}, ${def.kind})`,
      );
    if (meta.name !== name)
      throw new StatusError(
        400,
        'BadRequest',
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    if (meta.namespace !== undefined && meta.namespace !== ns)
      throw new StatusError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    if (!store.namespaces.has(ns)) throw new StatusError(404, 'NotFound', `namespaces "${ns}" not found`);
    if (failures.deny && failures.deny.kind === def.kind && failures.deny.name === name)
      throw new StatusError(
        400,
        'BadRequest',
        `admission webhook "policy.fixture.local" denied the request: ${failures.deny.message}`,
      );
    const { created, obj } = store.apply(def, ns, name, body, manager, force === 'true');
    return { status: created ? 201 : 200, body: obj };
  }

  function remove(req: ApiRequest, def: ResourceDef, ns: string | null, name: string): ApiResponse {
    let options: unknown = {};
    try {
      options = req.body ? JSON.parse(req.body) : {};
    } catch {
      throw new StatusError(400, 'BadRequest', 'the DeleteOptions body is not valid JSON');
    }
    const pre = isObject(options) && isObject(options.preconditions) ? options.preconditions : {};
    const live = store.get(def, ns, name);
    if (pre.uid !== undefined && pre.uid !== live.metadata.uid)
      throw new StatusError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${String(pre.uid)}, UID in object meta: ${live.metadata.uid}`,
      );
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== live.metadata.resourceVersion)
      throw new StatusError(
        409,
        'Conflict',
        'Precondition failed: resourceVersion in precondition does not match',
      );
    store.delete(def, ns, name);
    const details = {
      name,
      kind: def.name,
      ...(def.group ? { group: def.group } : {}),
      uid: live.metadata.uid,
    };
    return {
      status: 200,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
    };
  }

  return function handle(req: ApiRequest): ApiResponse {
    const { method, url } = req;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (method === 'GET' && path === '/api')
      return { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } };
    if (method === 'GET' && path === '/apis') return { status: 200, body: groupList() };
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [group, version, rest] =
      parts[0] === 'api'
        ? ['', parts[1] ?? '', parts.slice(2)]
        : parts[0] === 'apis'
          ? [parts[1] ?? '', parts[2] ?? '', parts.slice(3)]
          : ['', '', []];
    const discovery = version ? resourceList(group, version) : null;
    if (!discovery) throw notServed();
    if (rest.length === 0 && method === 'GET') return { status: 200, body: discovery };
    // `/api/v1/namespaces/x` is the Namespace x itself; `/api/v1/namespaces/x/pods` is inside it.
    const scoped = rest[0] === 'namespaces' && rest.length >= 3;
    const [ns, resource, name, sub] = scoped
      ? [rest[1]!, rest[2], rest[3], rest[4]]
      : [null, rest[0], rest[1], rest[2]];
    const def = RESOURCES.find((r) => r.group === group && r.version === version && r.name === resource);
    if (
      !def ||
      sub !== undefined ||
      (!def.namespaced && ns !== null) ||
      (def.namespaced && ns === null && name)
    )
      throw notServed();
    const verb =
      method === 'GET'
        ? name
          ? 'get'
          : 'list'
        : name && method === 'PATCH'
          ? 'patch'
          : name && method === 'DELETE'
            ? 'delete'
            : '';
    if (!def.verbs.includes(verb))
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    if (verb === 'get') return { status: 200, body: read(def, ns, name!) };
    if (verb === 'patch') return apply(req, def, ns!, name!);
    if (verb === 'delete') return remove(req, def, ns, name!);
    if (url.searchParams.has('fieldSelector'))
      throw new StatusError(400, 'BadRequest', 'field selectors are not implemented by this fixture');
    const select = matchLabels(url.searchParams.get('labelSelector') ?? '');
    // A real server leaves apiVersion and kind out of the items of a typed list.
    const items = list(def, ns)
      .filter((o) => select((o.metadata.labels ?? {}) as Record<string, string>))
      .map(({ apiVersion: _a, kind: _k, ...item }) => item);
    return {
      status: 200,
      body: {
        kind: `${def.kind}List`,
        apiVersion: apiVersionOf(def),
        metadata: { resourceVersion: '1' },
        items,
      },
    };
  };
}
