/**
 * Amazon Bedrock's Converse API with tool use. The SDK is imported on first use so the API's cold
 * start does not carry it; credentials come from the Lambda's role (the default chain) unless a
 * caller passes its own, as the tests do against a loopback Converse fixture.
 */
import type { ContentBlock, ConverseCommandInput, Message, Tool } from '@aws-sdk/client-bedrock-runtime';
import type { Config } from '../../../platform/config';
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

export type BedrockOptions = {
  model: string;
  aws?: Config['aws'];
  /** Static credentials (tests); otherwise the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The whole interpretation's limit; a model that takes longer is treated as unavailable. */
  timeoutMs?: number;
};

export const BEDROCK_TOOLS: Tool[] = TOOL_SPECS.map((t) => ({
  toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters as never } },
}));

export function bedrockInterpreter(options: BedrockOptions): CommandInterpreter {
  type Send = (input: ConverseCommandInput, signal: AbortSignal) => Promise<Message | undefined>;
  let client: Promise<Send> | undefined;

  const connect = async (): Promise<Send> => {
    const sdk = await import('@aws-sdk/client-bedrock-runtime');
    const c = new sdk.BedrockRuntimeClient({
      ...(options.aws?.region ? { region: options.aws.region } : {}),
      ...(options.aws?.endpoint ? { endpoint: options.aws.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: 2,
    });
    return async (input, abortSignal) =>
      (await c.send(new sdk.ConverseCommand(input), { abortSignal })).output?.message;
  };

  return {
    name: 'bedrock',
    async interpret(text: string, ctx: ProviderContext): Promise<ParsedCommand> {
      client ??= connect();
      const send = await client;
      const signal = deadline(options.timeoutMs);
      let messages: Message[] = [{ role: 'user', content: [{ text }] }];
      const conversation: Conversation = {
        async next(): Promise<ToolCall[]> {
          const input = maskRequest(
            {
              modelId: options.model,
              system: [{ text: SYSTEM_PROMPT }],
              messages,
              toolConfig: { tools: BEDROCK_TOOLS, toolChoice: { any: {} } },
              inferenceConfig: { temperature: 0 },
            } satisfies ConverseCommandInput,
            ctx,
          );
          await ctx.recordProviderRequest({ provider: 'bedrock', request: input });
          let reply: Message | undefined;
          try {
            reply = await send(input, signal);
          } catch (e) {
            const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
            throw new ProviderUnavailable(
              'bedrock',
              status ? `HTTP ${status} (${(e as Error).name})` : (e as Error).name,
            );
          }
          if (!reply?.content) throw new ProviderUnavailable('bedrock', 'an answer without a message');
          messages = [...input.messages, { role: 'assistant', content: reply.content }];
          return reply.content.flatMap((block: ContentBlock) =>
            block.toolUse?.name
              ? [{ id: block.toolUse.toolUseId ?? '', name: block.toolUse.name, input: block.toolUse.input }]
              : [],
          );
        },
        answer(results) {
          messages.push({
            role: 'user',
            content: results.map(({ call, content }) => ({
              toolResult: { toolUseId: call.id, content: [{ text: content }] },
            })),
          });
        },
      };
      return converse(conversation, ctx);
    },
  };
}
