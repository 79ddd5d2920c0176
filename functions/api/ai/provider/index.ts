import type { Config } from '../../../platform/config';
import type { CommandInterpreter } from '../interpret';
import { bedrockInterpreter } from './bedrock';
import { openAiInterpreter } from './openai';

export { ProviderUnavailable } from './errors';
export type { ProviderContext } from './loop';

/** The configured model's interpreter; undefined when none is configured (the parser alone). */
export function modelInterpreter(config: Pick<Config, 'ai' | 'aws'>): CommandInterpreter | undefined {
  const ai = config.ai;
  switch (ai.provider) {
    case 'none':
      return undefined;
    case 'openai':
      return openAiInterpreter({ baseUrl: ai.baseUrl, model: ai.model, key: ai.key, aws: config.aws });
    case 'bedrock':
      return bedrockInterpreter({ model: ai.model, aws: config.aws });
  }
}
