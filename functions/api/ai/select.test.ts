import { describe, expect, it } from 'vitest';
import { selectInterpreter } from './select';

describe('selectInterpreter', () => {
  it('answers the embedded parser when no provider is set', async () => {
    expect((await selectInterpreter({})).name).toBe('parser');
    expect((await selectInterpreter({ ai: {} })).name).toBe('parser');
    expect((await selectInterpreter({ ai: { provider: 'parser' } })).name).toBe('parser');
  });

  it('answers the configured model, the same one each time', async () => {
    const ai = {
      provider: 'openai' as const,
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      key: { kind: 'none' as const },
    };
    const first = await selectInterpreter({ ai });
    expect(first.name).toBe('openai');
    expect(await selectInterpreter({ ai })).toBe(first);
    expect(
      (await selectInterpreter({ ai: { provider: 'bedrock', model: 'amazon.nova-lite-v1:0' } })).name,
    ).toBe('bedrock');
  });

  it('reads a sentence without any lookup or provider request', async () => {
    const parser = await selectInterpreter({});
    const calls: string[] = [];
    const refuse = () => {
      throw new Error('the parser looked something up');
    };
    const parsed = await parser.interpret('deploy web 1.2 to dev', {
      lookups: {
        findServices: refuse,
        findEnvironments: refuse,
        findTargets: refuse,
        listTickets: refuse,
        readRelease: refuse,
      },
      recordProviderRequest: async () => {
        calls.push('request');
      },
    });
    expect(parsed.intent).toBe('deploy');
    expect(calls).toEqual([]);
  });
});
