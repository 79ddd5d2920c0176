/**
 * Fills a service template's `${VAR}` placeholders from a release's variables. Values go in
 * verbatim (no quoting, no second pass: a value holding `${X}` stays as written), so the rendered
 * revision is exactly what the template author wrote plus the values. Because the templates are
 * YAML, a value must not be able to change the template's structure: line breaks are refused
 * outright (they could start new keys or a new `---` document), and the rendered YAML must have the
 * same tree of mappings, sequences and scalars as the template with harmless tokens in place of the
 * values, which also catches flow-style tricks such as `1, admin: true` inside `{a: ${V}}`.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { FieldError } from '../errors';
import { VARIABLE_NAME, VARIABLE_NAME_RULE } from './variable-name';
import { parseYamlNodes } from './yaml';

export { VARIABLE_NAME, VARIABLE_NAME_RULE } from './variable-name';

/** `$${` is the escape for a literal `${`; a `${` that does not close on its line is an error. */
const TOKEN = /\$\$\{|\$\{(?:([^}\n]*)\})?/g;

/** Line breaks in any form a YAML 1.1 or 1.2 reader honours, and the C0 controls YAML forbids. */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A value made only of these characters cannot change the structure wherever its placeholder sits:
 * no spaces, quotes, backslashes, `#`, flow or block indicators; `:` only between other characters;
 * no leading `-`, `.`, `~` or `@`. Image references, counts and host names are such values and skip
 * the structural check's extra parses (costly on a 512 KiB template). The tests hold this claim
 * against the full check.
 */
const INERT = /^[A-Za-z0-9_/][A-Za-z0-9_./@+=~-]*(?::[A-Za-z0-9_./@+=~-]+)*$/;

/** Letters only, so it is a plain scalar anywhere a value could stand. */
const SENTINEL = 'k8smvar';

type Piece = string | { name: string };

export type TemplateScan = { names: string[]; fields: FieldError[] };

export type RenderResult = { ok: true; text: string; used: string[] } | { ok: false; fields: FieldError[] };

export type RenderOptions = {
  /** Check the YAML structure (default true: every template of this platform is YAML). */
  yaml?: boolean;
  /**
   * The text is a compose file: compose interpolates `$` in every value, so each `$` of a value is
   * written `$$` and the container gets the value as given. Only the values: the template's own
   * `$` are the author's and may be meant for compose.
   */
  compose?: boolean;
};

/** A value as compose must read it to yield the value itself (`pa$word` -> `pa$$word`). */
export const composeEscape = (value: string) => value.split('$').join('$$');

/** The placeholders a template uses and its malformed ones; used when a service is saved, too. */
export function scanTemplate(template: string, path = 'template'): TemplateScan {
  const { pieces, fields } = tokenize(template, path);
  const names = new Set<string>();
  for (const p of pieces) if (typeof p !== 'string') names.add(p.name);
  return { names: [...names].sort(), fields };
}

export function renderTemplate(
  template: string,
  variables: Record<string, string>,
  options: RenderOptions = {},
): RenderResult {
  const { pieces, fields } = tokenize(template, 'template');
  const used = new Set<string>();
  for (const p of pieces) if (typeof p !== 'string') used.add(p.name);

  for (const [name, value] of Object.entries(variables)) {
    const path = `variables.${name}`;
    if (!VARIABLE_NAME.test(name))
      fields.push({ path, message: `not a variable name: ${VARIABLE_NAME_RULE}` });
    else if (!used.has(name))
      fields.push({ path, message: 'unknown variable: the template does not use it' });
    if (LINE_BREAK.test(value)) {
      fields.push({ path, message: 'must be a single line: a line break could add YAML keys or documents' });
    } else if (CONTROL.test(value)) {
      fields.push({ path, message: 'must not contain control characters' });
    }
  }
  for (const name of used) {
    if (!Object.hasOwn(variables, name))
      fields.push({ path: `variables.${name}`, message: 'missing variable' });
  }
  if (fields.length) return { ok: false, fields: sortFields(fields) };

  const asWritten = options.compose ? composeEscape : (v: string) => v;
  const text = fill(pieces, (name) => asWritten(variables[name] ?? ''));
  const usedNames = [...used].sort();
  const inert = usedNames.every((n) => INERT.test(variables[n] ?? ''));
  if (options.yaml !== false && !inert) {
    const structure = checkStructure(pieces, variables, usedNames);
    if (structure.length) return { ok: false, fields: structure };
  }
  return { ok: true, text, used: usedNames };
}

/**
 * The full structural check alone, without the inert-value shortcut: `[]` when the values keep the
 * template's YAML tree. For tests and tooling; `renderTemplate` runs it when it is needed.
 */
export function yamlStructureErrors(template: string, variables: Record<string, string>): FieldError[] {
  const { pieces } = tokenize(template, 'template');
  const used = [...new Set(pieces.flatMap((p) => (typeof p === 'string' ? [] : [p.name])))].sort();
  return checkStructure(pieces, variables, used);
}

function tokenize(template: string, path: string): { pieces: Piece[]; fields: FieldError[] } {
  const pieces: Piece[] = [];
  const fields: FieldError[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    const at = m.index;
    pieces.push(template.slice(last, at));
    last = at + m[0].length;
    if (m[0] === '$${') {
      pieces.push('${');
      continue;
    }
    const name = m[1];
    if (name !== undefined && VARIABLE_NAME.test(name)) {
      pieces.push({ name });
      continue;
    }
    const line = template.slice(0, at).split('\n').length;
    const shown = name === undefined ? '${' : `\${${name.length > 40 ? `${name.slice(0, 40)}…` : name}}`;
    fields.push({
      path,
      message: `line ${line}: "${shown}" is not a placeholder (${VARIABLE_NAME_RULE}; write $\${ for a literal \${)`,
    });
    pieces.push(m[0]);
  }
  pieces.push(template.slice(last));
  return { pieces, fields };
}

function fill(pieces: readonly Piece[], value: (name: string) => string): string {
  return pieces.map((p) => (typeof p === 'string' ? p : value(p.name))).join('');
}

/**
 * The template with sentinels is the reference tree. Only when the rendered tree differs do we
 * look for the culprit, one variable at a time, so a passing check costs two parses.
 */
function checkStructure(
  pieces: readonly Piece[],
  variables: Record<string, string>,
  used: readonly string[],
): FieldError[] {
  const sentinelText = fill(pieces, () => SENTINEL);
  const parsed = parseYamlNodes(sentinelText);
  if (!parsed.ok) return [{ path: 'template', message: `not valid YAML: ${parsed.message}` }];
  const reference = parsed.docs;
  const sameAs = (text: string) => {
    const rendered = parseYamlNodes(text);
    return (
      rendered.ok &&
      rendered.docs.length === reference.length &&
      rendered.docs.every((d, i) => sameShape(d.contents, reference[i]?.contents))
    );
  };
  if (sameAs(fill(pieces, (n) => variables[n] ?? ''))) return [];

  const culprits = used.filter(
    (only) => !sameAs(fill(pieces, (n) => (n === only ? (variables[n] ?? '') : SENTINEL))),
  );
  const message =
    'changes the YAML structure of the template (quote the placeholder, or drop the YAML syntax)';
  if (culprits.length === 0) return [{ path: 'variables', message: `together the values ${message}` }];
  return culprits.map((name) => ({ path: `variables.${name}`, message }));
}

/** Mappings and sequences must match item for item; any scalar (or empty value) matches any scalar. */
function sameShape(a: unknown, b: unknown): boolean {
  if (isMap(a)) {
    return (
      isMap(b) &&
      a.items.length === b.items.length &&
      a.items.every((p, i) => sameShape(p.key, b.items[i]?.key) && sameShape(p.value, b.items[i]?.value))
    );
  }
  if (isSeq(a))
    return isSeq(b) && a.items.length === b.items.length && a.items.every((x, i) => sameShape(x, b.items[i]));
  if (isAlias(a)) return isAlias(b);
  const scalarLike = (x: unknown) => x === null || x === undefined || isScalar(x);
  return scalarLike(a) && scalarLike(b);
}

function sortFields(fields: FieldError[]): FieldError[] {
  return fields.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.message < y.message ? -1 : 1));
}
