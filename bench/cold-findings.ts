import { type BundleReport, kib } from '../script-tools/build';
import { fmt } from './stats';

/** Packages the API loads at import that only some requests need: where, and what they bring. */
const LAZY_CANDIDATES: { name: string; where: string; brings: string[] }[] = [
  {
    name: 'ssh2',
    where: 'private-key parsing, functions/api/credentials/inspect.ts',
    brings: ['ssh2', 'tweetnacl', 'bcrypt-pbkdf', 'asn1'],
  },
  {
    name: 'yaml',
    where: 'kubeconfig and manifest parsing: functions/api/kube-access/import-guard.ts, shared/releases/',
    brings: ['yaml'],
  },
];

const DOMAINS_ON_FIRST_USE = `  - build the domain routers on first use under their path prefix, so that a cold start pays for
    the libraries and one domain rather than for all of them.`;
export type ColdFacts = {
  /** Median import time of each bundle, ms. */
  apiMs: number;
  bareMs: number;
  helloMs: number;
  /** Import time of a bundle holding only that package, by package name. */
  aloneMs: Record<string, number>;
  helloBytes: number;
  api: BundleReport;
};

/** What the cold-start numbers say, and what in the app would change them. */
export function coldFindings(f: ColdFacts): string {
  const bytes = (name: string) => f.api.staticByPackage.find((p) => p.name === name)?.bytes ?? 0;
  const top = f.api.staticByPackage
    .slice(0, 6)
    .map((p) => `${p.name} ${kib(p.bytes)}`)
    .join(', ');
  const lazy = LAZY_CANDIDATES.filter((c) => bytes(c.name) > 0).map((c) => {
    const total = c.brings.reduce((sum, n) => sum + bytes(n), 0);
    const alone = f.aloneMs[c.name];
    const cost = alone === undefined ? '' : `; ${fmt(alone)} ms to import on its own`;
    return `  - import \`${c.name}\` where first used (${c.where}): ${kib(total)} less at import${cost};`;
  });
  const lazyDomains = bytes('zod') === 0;
  const importLine = lazyDomains
    ? `- Importing the API takes ${fmt(f.apiMs)} ms, bare Hono ${fmt(f.bareMs)} ms: it loads Hono and its own
  dispatch table (${kib(f.api.staticBytes)}). zod and zod-openapi (${kib(f.helloBytes)}, ${fmt(f.helloMs - f.bareMs)} ms over bare
  Hono in the one-route probe), every domain's schemas and the drivers load with the first request
  under a domain's path (functions/api/domains.ts), not with liveness.`
    : `- Importing the API takes ${fmt(f.apiMs)} ms, bare Hono ${fmt(f.bareMs)} ms. A one-route zod-openapi app takes
  ${fmt(f.helloMs)} ms (zod and zod-openapi, ${kib(f.helloBytes)}): those libraries explain ≈ ${fmt(f.helloMs - f.bareMs)} ms, the API's
  own import-time work ≈ ${fmt(f.apiMs - f.helloMs)} ms. That work is building every route's zod schemas and
  OpenAPI definitions when the module loads, and loading packages few requests need.`;
  const todo = [...lazy, ...(lazyDomains ? [] : [DOMAINS_ON_FIRST_USE])];
  return `Findings:

${importLine}
- Largest packages loaded at import: ${top}.
- The first request costs about the same in every variant: Node loads its fetch implementation
  (undici) for the first \`Request\`.
${
  todo.length
    ? `- What would close the gap is in the app, not the bundler (with \`splitting\`, every \`import()\`
  becomes its own chunk):
${todo.join('\n')}`
    : '- Nothing the app does at import is left to defer.'
}`;
}
