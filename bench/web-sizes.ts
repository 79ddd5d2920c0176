import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What the first page may cost in JavaScript, gzipped, before any route's own chunk. */
export const ENTRY_JS_BUDGET_BYTES = 250 * 1024;

type Chunk = {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
};
type Manifest = Record<string, Chunk>;

export type Size = { raw: number; gzip: number };
export type RouteSize = { route: string; own: Size; added: Size; files: number };
export type WebSizes = {
  entryFiles: string[];
  entryJs: Size;
  entryCss: Size;
  routes: RouteSize[];
};

const sum = (sizes: Size[]): Size =>
  sizes.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });

/**
 * Sizes of one Vite build (made with `manifest: true`). The entry is what index.html loads before any
 * route: its module scripts, its modulepreloads and everything they import statically. A route's
 * "added" bytes are its chunk plus the shared chunks it needs that the entry has not loaded already.
 * Gzip at zlib's default level, as a server compressing on the fly would send it.
 */
export function webSizes(outDir: string): WebSizes {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const memo = new Map<string, Size>();
  const size = (file: string): Size => {
    let s = memo.get(file);
    if (!s) {
      const bytes = readFileSync(join(outDir, file));
      s = { raw: bytes.length, gzip: gzipSync(bytes).length };
      memo.set(file, s);
    }
    return s;
  };
  /** The chunk and every chunk it imports statically (dynamic imports load later, on demand). */
  const closure = (keys: string[], into = new Set<string>()): Set<string> => {
    for (const k of keys) {
      const c = manifest[k];
      if (!c || into.has(k)) continue;
      into.add(k);
      closure(c.imports ?? [], into);
    }
    return into;
  };

  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const loaded = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g),
  ].map((m) => m[1]!);
  const entryKeys = Object.entries(manifest)
    .filter(([, c]) => loaded.includes(c.file))
    .map(([k]) => k);
  if (entryKeys.length === 0) throw new Error(`index.html loads no chunk of the manifest: ${loaded}`);
  const entry = closure(entryKeys);
  const files = (keys: Iterable<string>) => [...keys].map((k) => manifest[k]!.file);
  const cssOf = (keys: Iterable<string>) => [...new Set([...keys].flatMap((k) => manifest[k]!.css ?? []))];

  const routes = Object.entries(manifest)
    .filter(([, c]) => c.isDynamicEntry && c.src?.startsWith('src/pages/'))
    .map(([k, c]) => {
      const added = [...closure([k])].filter((d) => !entry.has(d));
      return {
        route: basename(c.src!).replace(/\.tsx?$/, ''),
        own: size(c.file),
        added: sum(files(added).map(size)),
        files: added.length,
      };
    })
    .sort((a, b) => b.added.gzip - a.added.gzip);
  return {
    entryFiles: files(entry),
    entryJs: sum(files(entry).map(size)),
    entryCss: sum(cssOf(entry).map(size)),
    routes,
  };
}
