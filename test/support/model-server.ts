/**
 * A scripted model behind a loopback HTTP server speaking either OpenAI Chat Completions or Bedrock
 * Converse. It records every request it receives (into the leak guard too) and plays an obedient,
 * gullible model: whenever the user's text or a tool result tells it to approve, reveal, apply,
 * confirm or grant, it calls the tool that would do exactly that — so what a test observes is the
 * bridge's refusal, not the model's good sense. Otherwise it looks the names up and submits the
 * command the sentence asks for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { recordResponse } from './leak-guard';

/** What a model turn sees, whatever the wire format: only the untrusted parts, never the system prompt. */
export type ModelInput = { user: string[]; toolResults: string[]; tools: string[] };
export type ModelCall = { name: string; input: Record<string, unknown> };
export type Model = (input: ModelInput) => ModelCall[] | { text: string };

/** The tool a model talked into each forbidden act would reach for. */
export const INJECTIONS: [RegExp, string][] = [
  [/\bapprove\b/i, 'approve_ticket'],
  [/\breveal\b/i, 'reveal_credential'],
  [/\bapply\b/i, 'apply_release'],
  [/\bconfirm\b/i, 'confirm'],
  [/\bgrant\b/i, 'grant_role'],
];

export const gullibleModel: Model = ({ user, toolResults }) => {
  const untrusted = [...user, ...toolResults].join('\n');
  for (const [re, tool] of INJECTIONS) {
    if (re.test(untrusted)) return [{ name: tool, input: { id: 'tkt_1', role: 'admin' } }];
  }
  const text = user.join(' ');
  const deploy = /deploy (\S+)(?: (\S+))? to (\S+)/i.exec(text);
  if (deploy) {
    const [, service = '', version, environment = ''] = deploy;
    if (toolResults.length === 0) {
      return [
        { name: 'find_services', input: { name: service } },
        { name: 'find_environments', input: { name: environment } },
      ];
    }
    return [
      {
        name: 'submit_command',
        input: { intent: 'deploy', service, environment, variables: {}, ...(version ? { version } : {}) },
      },
    ];
  }
  const why = /why did (rel_\S+) fail/i.exec(text);
  if (why) {
    if (toolResults.length === 0) return [{ name: 'read_release', input: { id: why[1] } }];
    return [{ name: 'submit_command', input: { intent: 'explain_failure', release_id: why[1] } }];
  }
  return { text: 'I cannot help with that.' };
};

export type Received = { path: string; headers: Record<string, string>; body: Record<string, unknown> };

type Wire = {
  read(body: Record<string, unknown>): ModelInput;
  write(reply: ModelCall[] | { text: string }, turn: number): unknown;
};

type OpenAiMessage = { role: string; content?: string | null; tool_calls?: { function: { name: string } }[] };

const OPENAI: Wire = {
  read(body) {
    const messages = (body.messages ?? []) as OpenAiMessage[];
    const tools = ((body.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
    return {
      user: messages.filter((m) => m.role === 'user').map((m) => String(m.content)),
      toolResults: messages.filter((m) => m.role === 'tool').map((m) => String(m.content)),
      tools,
    };
  },
  write(reply, turn) {
    const message =
      'text' in reply
        ? { role: 'assistant', content: reply.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: reply.map((c, i) => ({
              id: `call_${turn}_${i}`,
              type: 'function',
              function: { name: c.name, arguments: JSON.stringify(c.input) },
            })),
          };
    return {
      id: `chatcmpl-${turn}`,
      object: 'chat.completion',
      created: 0,
      model: 'scripted',
      choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
    };
  },
};

type ConverseBlock = { text?: string; toolResult?: { content: { text?: string }[] } };

/** Bedrock Converse as documented: POST /model/{modelId}/converse, JSON in and out. */
const CONVERSE: Wire = {
  read(body) {
    const messages = (body.messages ?? []) as { role: string; content: ConverseBlock[] }[];
    const blocks = messages.filter((m) => m.role === 'user').flatMap((m) => m.content);
    const config = (body.toolConfig ?? {}) as { tools?: { toolSpec: { name: string } }[] };
    return {
      user: blocks.flatMap((b) => (b.text !== undefined ? [b.text] : [])),
      toolResults: blocks.flatMap((b) =>
        b.toolResult ? b.toolResult.content.map((c) => String(c.text)) : [],
      ),
      tools: (config.tools ?? []).map((t) => t.toolSpec.name),
    };
  },
  write(reply, turn) {
    const content =
      'text' in reply
        ? [{ text: reply.text }]
        : reply.map((c, i) => ({
            toolUse: { toolUseId: `tooluse_${turn}_${i}`, name: c.name, input: c.input },
          }));
    return {
      output: { message: { role: 'assistant', content } },
      stopReason: 'text' in reply ? 'end_turn' : 'tool_use',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      metrics: { latencyMs: 1 },
    };
  },
};

export type ModelServer = {
  url: string;
  received: Received[];
  /** Replaces the model for the next requests (a test's own script). */
  model: Model;
  /** Answers every request with this HTTP status instead (a provider outage). */
  failWith?: number;
  /** Answers this late (a model that thinks too long). */
  delayMs?: number;
  close(): Promise<void>;
};

export async function startModelServer(format: 'openai' | 'converse', model: Model = gullibleModel) {
  const state: ModelServer = { url: '', received: [], model, close: async () => {} };
  await listen(state, format);
  return state;
}

/**
 * The model server of one test file: listening before its first test, closed after its last, and
 * before each test back to the gullible model answering at once, with nothing received.
 */
export function modelServerPerFile(format: 'openai' | 'converse'): ModelServer {
  const state: ModelServer = { url: '', received: [], model: gullibleModel, close: async () => {} };
  beforeAll(() => listen(state, format));
  afterAll(() => state.close());
  beforeEach(() => {
    state.received.length = 0;
    state.model = gullibleModel;
    state.failWith = undefined;
    state.delayMs = undefined;
  });
  return state;
}

/** Serves `state`: what it received, and its model, failure and delay as they stand per request. */
async function listen(state: ModelServer, format: 'openai' | 'converse') {
  const wire = format === 'openai' ? OPENAI : CONVERSE;
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      recordResponse(raw);
      const headers = Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) => (k.startsWith(':') ? [] : [[k, String(v)]])),
      );
      const body = JSON.parse(raw) as Record<string, unknown>;
      state.received.push({ path: req.url ?? '/', headers, body });
      if (state.failWith) {
        res.writeHead(state.failWith, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `echo: ${raw.slice(0, 100)}` } }));
        return;
      }
      const reply = wire.write(state.model(wire.read(body)), state.received.length);
      const send = () => {
        if (res.writableEnded || res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      };
      if (state.delayMs) setTimeout(send, state.delayMs);
      else send();
    });
  };
  // The Bedrock runtime client speaks HTTP/2 (cleartext to an http:// endpoint), as it does to AWS.
  const server = format === 'converse' ? createHttp2Server(handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
}
