import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, generateClientTypes } from './web-client';

describe('the SPA client types', () => {
  it('match the API the server describes (npm run web:client regenerates them)', async () => {
    const fresh = await generateClientTypes();
    expect(fresh).toContain('"/deploy/releases/preview"');
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8') === fresh, 'run npm run web:client').toBe(true);
  });
});
