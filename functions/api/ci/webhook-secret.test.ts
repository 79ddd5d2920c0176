import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rewrapKey } from '../../platform/keys/envelope';
import { createLocalKeyProvider } from '../../platform/keys/local';
import { SHREDDED_ENVELOPE, sealSecretString } from '../../platform/keys/sealed-secret';
import type { KeyProvider } from '../../platform/keys/types';
import { openWebhookSecret, pipelineSecretContext } from './pipelines';
import type { PipelineRow } from './repo';

let root: string;
let keys: KeyProvider;
let unwraps: number;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'k8sm-webhook-secret-'));
  const local = createLocalKeyProvider(join(root, 'keys'));
  unwraps = 0;
  // The real provider, counted: how often a delivery reaches the key provider.
  keys = {
    kind: local.kind,
    generateDataKey: (ctx) => local.generateDataKey(ctx),
    unwrap: (...args) => {
      unwraps += 1;
      return local.unwrap(...args);
    },
    rewrap: (...args) => local.rewrap(...args),
  };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
const pipelineWith = async (secret: string, id = `pip_${++n}`) => {
  const row = { id, projectId: 'prj_1' } as PipelineRow;
  row.secretEnvelope = await sealSecretString(keys, secret, pipelineSecretContext(row));
  return row;
};

describe('the opened webhook secret', () => {
  it('is opened once per envelope, not once per delivery', async () => {
    const p = await pipelineWith('first');
    expect(await openWebhookSecret(keys, p)).toBe('first');
    expect(await openWebhookSecret(keys, { ...p })).toBe('first');
    expect(unwraps).toBe(1);
  });

  it('is never answered from an older envelope: rotation and re-wrapping open the new one', async () => {
    const p = await pipelineWith('old');
    expect(await openWebhookSecret(keys, p)).toBe('old');
    const rotated = await pipelineWith('new', p.id);
    expect(await openWebhookSecret(keys, rotated)).toBe('new');
    expect(unwraps).toBe(2);
    // Key rotation re-wraps the data key only: same secret, another envelope, opened again.
    const rewrapped = {
      ...rotated,
      secretEnvelope: await rewrapKey(keys, rotated.secretEnvelope, pipelineSecretContext(rotated)),
    };
    expect(rewrapped.secretEnvelope.wrapped_key).not.toBe(rotated.secretEnvelope.wrapped_key);
    expect(await openWebhookSecret(keys, rewrapped)).toBe('new');
    expect(unwraps).toBe(3);
  });

  it('does not open a shredded envelope from the cache, nor keep the failure', async () => {
    const p = await pipelineWith('kept');
    expect(await openWebhookSecret(keys, p)).toBe('kept');
    await expect(openWebhookSecret(keys, { ...p, secretEnvelope: SHREDDED_ENVELOPE })).rejects.toThrow();
    await expect(openWebhookSecret(keys, { ...p, secretEnvelope: SHREDDED_ENVELOPE })).rejects.toThrow();
    expect(await openWebhookSecret(keys, p)).toBe('kept');
  });

  it('is bound to the project and pipeline the envelope was sealed to', async () => {
    const p = await pipelineWith('mine');
    expect(await openWebhookSecret(keys, p)).toBe('mine');
    await expect(openWebhookSecret(keys, { ...p, projectId: 'prj_2' })).rejects.toThrow();
    await expect(openWebhookSecret(keys, { ...p, id: 'pip_other' })).rejects.toThrow();
  });
});
