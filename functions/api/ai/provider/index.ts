import type { Config } from '../../../platform/config';
import type { CommandInterpreter } from '../interpret';
import { bedrockInterpreter } from './bedrock';
import { openAiInterpreter } from './openai';

export { ProviderUnavailable } from './errors';
export type { ProviderContext } from './loop';

type ModelSettings = Pick<Config, 'ai' | 'aws'>;

/** One interpreter per settings object, so the key and the SDK client are made once per process. */
const made = new WeakMap<ModelSettings['ai'], CommandInterpreter>();

/** The configured model's interpreter; undefined when none is configured (the parser alone). */
export function modelInterpreter(config: ModelSettings): CommandInterpreter | undefined {
  const ai = config.ai;
  if (ai.provider === 'parser') return undefined;
  let interpreter = made.get(ai);
  if (!interpreter) {
    interpreter =
      ai.provider === 'openai'
        ? openAiInterpreter({ baseUrl: ai.baseUrl, model: ai.model, key: ai.key, aws: config.aws })
        : bedrockInterpreter({ model: ai.model, aws: config.aws });
    made.set(ai, interpreter);
  }
  return interpreter;
}
