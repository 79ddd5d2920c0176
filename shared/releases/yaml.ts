/**
 * How release templates are read and written as YAML. One place, because the preview, the diff and
 * the runner must all agree on what a document means.
 *
 * Reading follows kubectl (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1 rules): `defaultMode: 0644` is
 * octal 420 and `enabled: yes` is a boolean, exactly as the cluster would read the template. Two 1.1
 * features go-yaml v2 does not apply are left out, so `2024-01-01` and `1:20` stay strings.
 * Writing quotes every string that a YAML 1.1 or 1.2 reader could take for another type, so the
 * normalised text means the same to kubectl, to js-yaml and to us.
 */
import {
  type Document,
  type DocumentOptions,
  isScalar,
  LineCounter,
  type ParseOptions,
  parseAllDocuments,
  type ScalarTag,
  type SchemaOptions,
  stringify,
  type Tags,
  visit,
} from 'yaml';
import type { FieldError } from '../errors';

/**
 * References per anchor, times the aliases inside it. Compose files reuse an `x-defaults` anchor
 * once per service, so 50 leaves room for that while a "billion laughs" template stays cheap.
 */
export const MAX_ALIAS_COUNT = 50;

const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

type ReadOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * The parser's own `uniqueKeys` compares every key with every other (quadratic: seconds for a
 * 512 KiB template), so duplicates are found by `duplicateKeyLine` instead, in one pass.
 */
const KUBECTL: ReadOptions = {
  version: '1.1',
  uniqueKeys: false,
  merge: true,
  customTags: (tags: Tags) =>
    tags.filter((t) => typeof t === 'string' || (t.tag !== TIMESTAMP && (t as ScalarTag).format !== 'TIME')),
};

/**
 * docker compose v2 reads YAML 1.2 (go-yaml v3): `image: y` is a string there. Merge keys stay on,
 * since `<<: *defaults` is how compose files share settings. Only our analysis reads it this way;
 * the file itself reaches the hosts as rendered.
 */
const COMPOSE: ReadOptions = { version: '1.2', uniqueKeys: false, merge: true };

export type YamlDialect = 'kubectl' | 'compose';
const DIALECTS: Record<YamlDialect, ReadOptions> = { kubectl: KUBECTL, compose: COMPOSE };

export type ParsedDocument = { index: number; value: unknown; empty: boolean };

export type ParseResult = { ok: true; documents: ParsedDocument[] } | { ok: false; fields: FieldError[] };

/** Each error names the document and the line, never the offending text (it may hold a secret). */
export function parseYamlDocuments(
  text: string,
  pathOf: (index: number) => string,
  dialect: YamlDialect = 'kubectl',
): ParseResult {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { ...DIALECTS[dialect], lineCounter: lines });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  const fields: FieldError[] = [];
  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    const first = doc.errors[0];
    if (first) {
      fields.push({ path: pathOf(index), message: `not valid YAML: ${yamlErrorMessage(first)}` });
      return;
    }
    const duplicate = duplicateKeyOffset(doc);
    if (duplicate !== null) {
      const { line } = lines.linePos(duplicate);
      // The key itself is not named: it could come from a secret variable.
      fields.push({
        path: pathOf(index),
        message: `not valid YAML: a key appears twice in one mapping (line ${line})`,
      });
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      const odd = nonJsonPath(value, '');
      if (odd !== null) {
        fields.push({
          path: joinPath(pathOf(index), odd),
          message: 'only plain YAML values (no !!binary, !!set, !!omap)',
        });
        return;
      }
      documents.push({ index, value, empty: value === null || value === undefined });
    } catch (err) {
      // toJS throws for alias abuse and unresolved aliases: the template's fault, not ours.
      fields.push({ path: pathOf(index), message: `not valid YAML: ${(err as Error).message}` });
    }
  });
  return fields.length ? { ok: false, fields } : { ok: true, documents };
}

/**
 * The parser's first message line ("Nested mappings are not allowed ... at line 3, column 7:")
 * without the source excerpt it appends below, which could show a secret variable's value.
 */
export function yamlErrorMessage(err: { message: string }): string {
  return (err.message.split('\n')[0] ?? '').replace(/:$/, '');
}

/** Offset of the first key repeated within its mapping; `<<` merge keys may repeat. */
function duplicateKeyOffset(doc: Document): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (name === '<<') continue;
        if (seen.has(name)) {
          found = key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
  });
  return found;
}

/** The node trees, for checks that only need the structure; or the first error's message. */
export function parseYamlNodes(
  text: string,
): { ok: true; docs: Document[] } | { ok: false; message: string } {
  const parsed = parseAllDocuments(text, KUBECTL);
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  const first = docs.flatMap((d) => d.errors)[0];
  return first ? { ok: false, message: yamlErrorMessage(first) } : { ok: true, docs };
}

/** One document in the normalised form; `lineWidth: 0` so long values never fold mid-diff. */
export function stringifyYaml(value: unknown): string {
  return stringify(value, { version: '1.1', customTags: ['intOct', 'floatExp'], lineWidth: 0 });
}

/** Documents joined the way kubectl reads them back. */
export function stringifyYamlDocuments(values: readonly unknown[]): string {
  return values.map(stringifyYaml).join('---\n');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

export function joinPath(base: string, rest: string): string {
  if (!rest) return base;
  if (!base) return rest.startsWith('.') ? rest.slice(1) : rest;
  return `${base}${rest}`;
}

/** A key that is not a plain identifier is written in brackets: `data["tls.crt"]`. */
export function keyPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function nonJsonPath(value: unknown, at: string): string | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = nonJsonPath(v, `${at}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (!isPlainObject(value)) return at;
  for (const [k, v] of Object.entries(value)) {
    const bad = nonJsonPath(v, `${at}${keyPath(k)}`);
    if (bad !== null) return bad;
  }
  return null;
}
