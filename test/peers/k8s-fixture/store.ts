/**
 * The fixture's objects, by group/kind/namespace/name, with server-side apply kept "lite": each
 * field manager's last applied configuration is remembered and the object is their merge (maps
 * merge, lists and scalars are owned whole). A field another manager set to a different value is
 * a 409 Conflict unless the request forces it, as on a real server; forcing moves the field over.
 * Server-owned fields (uid, resourceVersion, generation, creationTimestamp, managedFields, status)
 * are never taken from a request; generation moves only when `spec` changes, and a no-op apply
 * leaves resourceVersion alone.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, isObject, notFound, type ResourceDef, StatusError } from './resources';
import { validateObject } from './validate';

export type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any>;
};
type Config = Record<string, unknown>;
type Entry = { def: ResourceDef; obj: Obj; configs: Map<string, Config> };

const SERVER_META = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'];

export class Store {
  private readonly entries = new Map<string, Entry>();
  private rv = 1000;

  constructor(readonly namespaces: Set<string>) {}

  private key = (def: ResourceDef, ns: string | null, name: string) =>
    `${def.group}/${def.kind}/${ns ?? ''}/${name}`;

  get(def: ResourceDef, ns: string | null, name: string): Obj {
    const e = this.entries.get(this.key(def, ns, name));
    if (!e) throw notFound(def.group ? `${def.name}.${def.group}` : def.name, name);
    return structuredClone(e.obj);
  }

  has(def: ResourceDef, ns: string | null, name: string): boolean {
    return this.entries.has(this.key(def, ns, name));
  }

  list(def: ResourceDef, ns: string | null): Obj[] {
    return [...this.entries.values()]
      .filter((e) => e.def === def && (ns === null || e.obj.metadata.namespace === ns))
      .map((e) => structuredClone(e.obj));
  }

  all(): Obj[] {
    return [...this.entries.values()].map((e) => structuredClone(e.obj));
  }

  /** Status is the controllers' to write; the workload simulation calls this. */
  setStatus(def: ResourceDef, ns: string, name: string, status: Record<string, unknown>): void {
    const e = this.entries.get(this.key(def, ns, name));
    if (e) e.obj.status = structuredClone(status);
  }

  delete(def: ResourceDef, ns: string | null, name: string): Obj {
    const k = this.key(def, ns, name);
    const e = this.entries.get(k);
    if (!e) throw notFound(def.group ? `${def.name}.${def.group}` : def.name, name);
    this.entries.delete(k);
    return e.obj;
  }

  apply(
    def: ResourceDef,
    ns: string,
    name: string,
    body: Config,
    manager: string,
    force: boolean,
  ): { created: boolean; obj: Obj } {
    const k = this.key(def, ns, name);
    const existing = this.entries.get(k);
    const config = structuredClone(body);
    delete config.status;
    const meta = isObject(config.metadata) ? config.metadata : {};
    for (const f of SERVER_META) delete meta[f];
    config.metadata = { ...meta, name, namespace: ns };

    const configs = new Map(existing?.configs ?? []);
    for (const [other, theirs] of configs) {
      if (other === manager) continue;
      const clash = leaves(config).filter(([p, v]) => {
        const mine = leafAt(theirs, p);
        return mine !== undefined && !isDeepStrictEqual(mine, v);
      });
      if (clash.length && !force) {
        const fields = clash.map(([p]) => `.${p.join('.')}`).join(', ');
        throw new StatusError(
          409,
          'Conflict',
          `Apply failed with ${clash.length} conflict(s): conflict with "${other}": ${fields}`,
        );
      }
      for (const [p] of clash) removeAt(theirs, p);
    }
    configs.set(manager, config);

    const merged = [...configs.values()].reduce<Config>((acc, c) => merge(acc, c), {});
    if (def.kind === 'Secret') secretToData(merged);
    validateObject(def, merged, existing?.obj ?? null);

    const now = new Date().toISOString();
    const prev = existing?.obj;
    const {
      metadata: mergedMeta,
      apiVersion: _a,
      kind: _k,
      ...content
    } = merged as Config & { metadata: Config };
    const specChanged = !isDeepStrictEqual(prev?.spec, content.spec);
    const unchanged =
      prev !== undefined &&
      !specChanged &&
      isDeepStrictEqual(stripForCompare(prev), { metadata: mergedMeta, ...content }) &&
      isDeepStrictEqual(existing?.configs.get(manager), config);
    if (unchanged) return { created: false, obj: structuredClone(prev) };

    const generation =
      'spec' in content ? (prev?.metadata.generation ?? 0) + (specChanged || !prev ? 1 : 0) : undefined;
    const obj: Obj = {
      ...content,
      apiVersion: apiVersionOf(def),
      kind: def.kind,
      metadata: {
        ...mergedMeta,
        uid: prev?.metadata.uid ?? randomUUID(),
        resourceVersion: String(++this.rv),
        creationTimestamp: prev?.metadata.creationTimestamp ?? now,
        ...(generation !== undefined ? { generation } : {}),
        managedFields: [...configs.keys()].map((m) => ({
          manager: m,
          operation: 'Apply',
          apiVersion: apiVersionOf(def),
          time: now,
          fieldsType: 'FieldsV1',
        })),
      },
      ...(prev?.status ? { status: prev.status } : {}),
    };
    this.entries.set(k, { def, obj, configs });
    return { created: !prev, obj: structuredClone(obj) };
  }
}

/** What an apply request could have set, to tell a no-op apply from a change. */
function stripForCompare(obj: Obj): Config {
  const { status: _s, apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const meta = { ...metadata };
  for (const f of SERVER_META) delete meta[f];
  return { metadata: meta, ...rest };
}

/** The API server keeps `stringData` out of storage: it is folded into `data`, winning a shared key. */
function secretToData(obj: Config): void {
  if (!isObject(obj.stringData)) return;
  const data = isObject(obj.data) ? obj.data : {};
  for (const [k, v] of Object.entries(obj.stringData))
    data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  obj.data = data;
  delete obj.stringData;
}

function merge(base: Config, over: Config): Config {
  const out: Config = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? merge(b, v) : structuredClone(v);
  }
  return out;
}

function leaves(obj: Config, at: string[] = []): [string[], unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    isObject(v) && Object.keys(v).length ? leaves(v, [...at, k]) : [[[...at, k], v] as [string[], unknown]],
  );
}

function leafAt(obj: Config, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

function removeAt(obj: Config, path: string[]): void {
  const parent = leafAt(obj, path.slice(0, -1));
  if (isObject(parent)) delete parent[path[path.length - 1]!];
}
