/**
 * Any OpenAI-compatible endpoint (OpenAI, Azure's, vLLM, Ollama, a gateway), Chat Completions with
 * function calling, through fetch. The key is read once, on first use, from Secrets Manager or a
 * file; it goes only into the Authorization header, never into what is recorded.
 */
import { readFile } from 'node:fs/promises';
import type { AiKeySource, Config } from '../../../platform/config';
import { getSecretString } from '../../../platform/secrets/secrets-manager';
import type { CommandInterpreter, ParsedCommand } from '../interpret';
import { ProviderUnavailable } from './errors';
import {
  type Conversation,
  converse,
  deadline,
  maskRequest,
  type ProviderContext,
  SYSTEM_PROMPT,
  type ToolCall,
} from './loop';
import { TOOL_SPECS } from './tools';

export type OpenAiOptions = {
  baseUrl: string;
  model: string;
  key: AiKeySource;
  aws?: Config['aws'];
  fetch?: typeof fetch;
  /** The whole interpretation's limit; a model that takes longer is treated as unavailable. */
  timeoutMs?: number;
};

type Message =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
type WireToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export const OPENAI_TOOLS = TOOL_SPECS.map((t) => ({
  type: 'function' as const,
  function: { name: t.name, description: t.description, parameters: t.parameters },
}));

async function readKey(source: AiKeySource, aws: Config['aws']): Promise<string | undefined> {
  if (source.kind === 'none') return undefined;
  const raw =
    source.kind === 'file'
      ? await readFile(source.path, 'utf8')
      : await getSecretString(source.secretArn, aws);
  return raw.trim() || undefined;
}

/** The arguments string of a call as JSON; a model that wrote something else said nothing usable. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}

export function openAiInterpreter(options: OpenAiOptions): CommandInterpreter {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  let key: Promise<string | undefined> | undefined;

  return {
    name: 'openai',
    async interpret(text: string, ctx: ProviderContext): Promise<ParsedCommand> {
      key ??= readKey(options.key, options.aws ?? { region: undefined, endpoint: undefined }).catch((e) => {
        key = undefined;
        throw new ProviderUnavailable('openai', `its key could not be read (${(e as Error).name})`);
      });
      const apiKey = await key;
      const signal = deadline(options.timeoutMs);
      const messages: Message[] = [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: text },
      ];
      const conversation: Conversation = {
        async next(): Promise<ToolCall[]> {
          const body = maskRequest(
            { model: options.model, messages, tools: OPENAI_TOOLS, tool_choice: 'required', temperature: 0 },
            ctx,
          );
          await ctx.recordProviderRequest({ provider: 'openai', url, body });
          let res: Response;
          try {
            res = await doFetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
              },
              body: JSON.stringify(body),
              signal,
            });
          } catch (e) {
            throw new ProviderUnavailable('openai', (e as Error).name);
          }
          if (!res.ok) {
            await res.body?.cancel();
            throw new ProviderUnavailable('openai', `HTTP ${res.status}`);
          }
          const reply = (await res.json().catch(() => null)) as {
            choices?: { message?: { content?: string | null; tool_calls?: WireToolCall[] } }[];
          } | null;
          const message = reply?.choices?.[0]?.message;
          if (!message) throw new ProviderUnavailable('openai', 'an answer without a message');
          const calls = (message.tool_calls ?? []).filter((c) => c?.function?.name);
          // The masked request is the conversation: what the model said is kept as it came back.
          messages.splice(0, messages.length, ...(body.messages as Message[]));
          messages.push({ role: 'assistant', content: message.content ?? null, tool_calls: calls });
          return calls.map((c) => ({
            id: c.id,
            name: c.function.name,
            input: parseArguments(c.function.arguments),
          }));
        },
        answer(results) {
          for (const { call, content } of results) {
            messages.push({ role: 'tool', tool_call_id: call.id, content });
          }
        },
      };
      return converse(conversation, ctx);
    },
  };
}
