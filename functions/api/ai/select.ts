import type { AiProviderConfig, Config } from '../../platform/config';
import type { CommandInterpreter } from './interpret';
import { parserInterpreter } from './parser';

/** The part of the settings that picks the interpreter (`K8SM_AI_PROVIDER`; unset: the parser). */
export type AiSelection = { readonly [setting: string]: unknown } & {
  ai?: AiProviderConfig | { provider?: 'parser' };
  aws?: Config['aws'];
};

/**
 * The interpreter for a request. The parser is built in; a model provider, when one is
 * configured, is imported here on first use only, so a cold start without one loads nothing more.
 * Providers live in ./provider; one interpreter is made per settings object, so a key is read once.
 */
export async function selectInterpreter(config: AiSelection): Promise<CommandInterpreter> {
  const ai = config.ai;
  if (ai?.provider !== 'openai' && ai?.provider !== 'bedrock') return parserInterpreter;
  const { modelInterpreter } = await import('./provider/index');
  return (
    modelInterpreter({ ai, aws: config.aws ?? { region: undefined, endpoint: undefined } }) ??
    parserInterpreter
  );
}
