/**
 * What ships (functions/, runner/, shared/) must not need the test toolchain: a file there that
 * imports vitest or test support would pull it into the Lambda bundle or the runner binary, or
 * break them at start where vitest is not installed. Test support lives under test/support/.
 * The same walk also checks that shipped modules import one another without a cycle: a cycle
 * makes a module's exports undefined while another one of the cycle is still loading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SHIPPED = ['functions', 'runner', 'shared'];

const isTestFile = (path: string) => /\.test\.ts$/.test(path);

/** Every shipped TypeScript file, relative to the repository root; test files excluded. */
function shippedFiles(): string[] {
  return SHIPPED.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(dir, f))
      .filter((f) => !isTestFile(f)),
  );
}

// Static imports and re-exports (also multi-line and `import type`), and dynamic `import()`.
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]/g;
const SIDE_EFFECT = /^\s*import\s+['"]([^'"]+)['"]/gm;

/** `import type` / `export type` statements: erased at build time, so they order no module loading. */
const TYPE_ONLY = /(?:^|[\s;])(?:import|export)\s+type\s[^'"]*?from\s*['"][^'"]+['"]/g;

/** What a module loads when it runs: its imports without the type-only ones. */
const runtimeSpecifiersOf = (source: string) => specifiersOf(source.replace(TYPE_ONLY, ' '));

function specifiersOf(source: string): string[] {
  const found = [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? '');
  return [...found, ...[...source.matchAll(SIDE_EFFECT)].map((m) => m[1] ?? '')];
}

/** The repository-relative file a relative specifier names, or null for a package. */
function resolveRelative(from: string, specifier: string, known: Set<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = normalize(join(dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (known.has(candidate)) return candidate;
  }
  return base;
}

/** Why an import is not allowed in shipped code, or null when it is. */
function forbiddenImport(from: string, specifier: string): string | null {
  if (specifier === 'vitest' || specifier.startsWith('vitest/') || specifier.startsWith('@vitest/')) {
    return 'the test runner';
  }
  if (!specifier.startsWith('.')) return null;
  const target = relative(ROOT, join(ROOT, dirname(from), specifier));
  if (target === 'test' || target.startsWith(`test/`)) return 'test support';
  if (/\.test(\.ts)?$/.test(target)) return 'a test file';
  return null;
}

/** Each cycle as the list of files in it (strongly connected components of more than one file). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('shipped code', () => {
  const files = shippedFiles();
  const known = new Set(files);
  const sources = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
  const imports = new Map(files.map((f) => [f, specifiersOf(sources.get(f)!)]));

  it('imports neither vitest nor test support', () => {
    expect(files.length).toBeGreaterThan(100);
    const offending = files.flatMap((f) =>
      (imports.get(f) ?? []).flatMap((s) => {
        const why = forbiddenImport(f, s);
        return why ? [`${f} imports ${s} (${why})`] : [];
      }),
    );
    expect(offending).toEqual([]);
  });

  // A cycle of types only (a domain naming Deps, Deps naming the domains' handler types) loads
  // nothing in a circle; a cycle of values can hand a module another one not yet initialised.
  it('has no import cycle among the modules it loads', () => {
    const graph = new Map(
      files.map((f) => [
        f,
        runtimeSpecifiersOf(sources.get(f)!)
          .map((s) => resolveRelative(f, s, known))
          .filter((t) => t && known.has(t)) as string[],
      ]),
    );
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the import checks', () => {
  it('find imports written every way a file can import', () => {
    const source = [
      "import { a } from './a';",
      'import type {',
      '  B,',
      "} from '../b';",
      "export { c } from './c';",
      "import './d';",
      "const e = await import('./e');",
    ].join('\n');
    expect(specifiersOf(source).sort()).toEqual(['../b', './a', './c', './d', './e']);
    expect(runtimeSpecifiersOf(source).sort()).toEqual(['./a', './c', './d', './e']);
  });

  it('refuse vitest, test support and test files, and allow the rest', () => {
    expect(forbiddenImport('functions/api/x.ts', 'vitest')).toBe('the test runner');
    expect(forbiddenImport('functions/api/x.ts', '../../test/support/platform')).toBe('test support');
    expect(forbiddenImport('runner/x.ts', './loop.test')).toBe('a test file');
    expect(forbiddenImport('runner/x.ts', '../shared/jobs/claim')).toBeNull();
    expect(forbiddenImport('runner/x.ts', 'node:fs')).toBeNull();
  });

  it('find a cycle through three files and none in a chain', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(cyclic)).toEqual([['a', 'b', 'c']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });
});
