import type { CommandInterpreter } from './interpret';
import { parserInterpreter } from './parser';

/** The part of the settings that picks the interpreter (`K8SM_AI_PROVIDER`; unset: the parser). */
export type AiSelection = { readonly [setting: string]: unknown } & {
  ai?: { provider?: 'parser' | 'openai' | 'bedrock' };
};

/**
 * The interpreter for a request. The parser is built in; a model provider, when one is
 * configured, is imported here on first use only, so a cold start without one loads nothing more.
 * Providers live in ./provider and implement CommandInterpreter; until one is registered below, a
 * configured provider falls back to the parser rather than failing every command.
 */
export async function selectInterpreter(config: AiSelection): Promise<CommandInterpreter> {
  switch (config.ai?.provider) {
    case undefined:
    case 'parser':
      return parserInterpreter;
    // Providers plug in here, e.g.:
    // case 'openai': return (await import('./provider/openai')).openaiInterpreter(config.ai);
    default:
      return parserInterpreter;
  }
}
