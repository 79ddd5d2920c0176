import { describe, expect, it } from 'vitest';
import { selectInterpreter } from './select';

describe('selectInterpreter', () => {
  it('answers the embedded parser when no provider is set', async () => {
    expect((await selectInterpreter({})).name).toBe('parser');
    expect((await selectInterpreter({ ai: {} })).name).toBe('parser');
    expect((await selectInterpreter({ ai: { provider: 'parser' } })).name).toBe('parser');
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
