import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../functions/api/app';

const ROOT = resolve(import.meta.dirname, '..');
export const CLIENT_TYPES_FILE = join(ROOT, 'web', 'src', 'api', 'schema.d.ts');

const HEADER = `/**
 * Generated from the API's OpenAPI document by \`npm run web:client\`; do not edit.
 * A test fails when this file and the API disagree.
 */
`;

/** The SPA's types, from the same document `GET /api/v1/openapi.json` serves. */
export async function generateClientTypes(): Promise<string> {
  // The document is answered before any dependency is resolved, so none is given.
  const app = createApp({ deps: () => Promise.reject(new Error('not needed for the document')) });
  const res = await app.request('/api/v1/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  const doc = (await res.json()) as Parameters<typeof openapiTS>[0];
  return HEADER + astToString(await openapiTS(doc, { alphabetize: true }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  generateClientTypes()
    .then((types) => {
      if (!check) return writeFileSync(CLIENT_TYPES_FILE, types);
      if (readFileSync(CLIENT_TYPES_FILE, 'utf8') !== types) {
        console.error('web/src/api/schema.d.ts is out of date: run npm run web:client');
        process.exit(1);
      }
    })
    .catch((e: Error) => {
      console.error(`web:client failed: ${e.message}`);
      process.exit(1);
    });
}
