import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalKeyProvider } from './local';
import { openSecretString, SHREDDED_ENVELOPE, sealSecretString } from './sealed-secret';
import type { EncryptionContext } from './types';

const ctx: EncryptionContext = { purpose: 'ci_webhook_secret', project_id: 'prj_1', pipeline_id: 'pip_1' };

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'k8sm-sealed-secret-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sealed secret strings', () => {
  it('opens to the same string under its own context, and the envelope does not hold it', async () => {
    const keys = createLocalKeyProvider(join(root, 'keys'));
    const envelope = await sealSecretString(keys, 'whsec_a secret shown once', ctx);
    expect(JSON.stringify(envelope)).not.toContain('a secret shown once');
    expect(await openSecretString(keys, envelope, ctx)).toBe('whsec_a secret shown once');
  });

  it('does not open under another row, nor once shredded', async () => {
    const keys = createLocalKeyProvider(join(root, 'keys'));
    const envelope = await sealSecretString(keys, 'a secret', ctx);
    await expect(openSecretString(keys, envelope, { ...ctx, pipeline_id: 'pip_2' })).rejects.toThrow();
    await expect(openSecretString(keys, SHREDDED_ENVELOPE, ctx)).rejects.toThrow();
  });
});
