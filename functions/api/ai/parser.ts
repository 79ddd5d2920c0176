import type { CommandInterpreter, ParsedCommand } from './interpret';

/**
 * The embedded interpreter (SPEC §7.3): a fixed grammar, no network, no state. A sentence is read
 * from its start only, so what trails a recognised command (an "and approve it", a pasted
 * instruction) never changes the intent or its arguments: the bridge acts on the recognised part,
 * and the preview, the confirm and the inbox still stand between it and a target.
 */

const NAME = String.raw`[A-Za-z0-9][\w.-]*`;
const VERSION = String.raw`v?\d[\w.+-]*`;
const VAR = String.raw`[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s,;]+)`;
const REL_ID = 'rel_[0-9a-z]+';

/** Courtesy words before the command; they say nothing about what is asked. */
const POLITE =
  /^(?:(?:please|pls|kindly|hey|ok|okay|can you|could you|would you|will you|i want to|i'd like to|let's|lets)[\s,]+)+/i;

const DEPLOY = new RegExp(
  String.raw`^(?:deploy|ship|release|roll\s*out|push)\s+(?:version\s+(?<v1>${VERSION})\s+of\s+)?(?<service>${NAME})(?::(?<v2>${VERSION}))?` +
    String.raw`(?:\s+(?:version\s+)?(?<v3>${VERSION}))?` +
    String.raw`(?<vars>(?:\s+(?:with|using|and|,)?\s*${VAR}(?:\s*,)?)*)` +
    String.raw`\s+(?:to|into|on|onto|in)\s+(?<env>${NAME})(?:\s+(?:of|in|for)\s+(?:project\s+)?(?<project>${NAME}))?(?=$|[\s.,;!?])`,
  'i',
);
const ROLLBACK = new RegExp(
  String.raw`^(?:roll\s*back|revert|undo(?:\s+the\s+last\s+deploy(?:ment)?\s+of)?)\s+(?<service>${NAME})\s+(?:in|on|at|from)\s+(?<env>${NAME})(?:\s+(?:of|for)\s+(?:project\s+)?(?<project>${NAME}))?(?=$|[\s.,;!?])`,
  'i',
);
const STATUS = [
  new RegExp(
    String.raw`^(?:what(?:'s|\s+is)\s+the\s+)?(?:status|state|health)\s+of\s+(?<service>${NAME})\s+(?:in|on|at)\s+(?<env>${NAME})(?=$|[\s.,;!?])`,
    'i',
  ),
  new RegExp(
    String.raw`^how\s+is\s+(?<service>${NAME})\s+(?:doing\s+)?(?:in|on)\s+(?<env>${NAME})(?=$|[\s.,;!?])`,
    'i',
  ),
  new RegExp(
    String.raw`^is\s+(?<service>${NAME})\s+(?:healthy|up|running|ok)\s+(?:in|on)\s+(?<env>${NAME})(?=$|[\s.,;!?])`,
    'i',
  ),
  new RegExp(
    String.raw`^(?:what(?:'s|\s+is)\s+(?:running|deployed|live)|status|state|health)\s+(?:of\s+|in\s+|on\s+)(?<env>${NAME})(?=$|[\s.,;!?])`,
    'i',
  ),
];
const LIST = new RegExp(
  String.raw`^(?:(?:list|show)(?:\s+me)?\s+)?(?:the\s+|all\s+)?(?:pending|open|waiting)\s+(?:approvals?|tickets?|approval\s+tickets?)(?:\s+(?:for|in|of)\s+(?:project\s+)?(?<project>${NAME}))?(?=$|[\s.,;!?])`,
  'i',
);
const EXPLAIN = [
  new RegExp(String.raw`^why\s+did\s+(?:release\s+)?(?<id>${REL_ID})\s+fail`, 'i'),
  new RegExp(
    String.raw`^(?:explain|diagnose)\s+(?:the\s+failure\s+of\s+)?(?:release\s+)?(?<id>${REL_ID})\b`,
    'i',
  ),
  new RegExp(String.raw`^what\s+went\s+wrong\s+(?:with|in)\s+(?:release\s+)?(?<id>${REL_ID})\b`, 'i'),
];

/**
 * What the bridge never does, with the reason it gives (SPEC §7.3). Looked for only when no
 * command was recognised: the first matching rule names the refusal.
 */
const REFUSALS: [RegExp, string][] = [
  [
    /\b(?:approve|reject|deny|decline|sign[\s-]?off)\b/i,
    'the bridge cannot approve or reject tickets: decide them in the inbox',
  ],
  [
    /\b(?:reveal|show|print|dump|export|give|send|read|display)\b.*\b(?:secrets?|kubeconfig|credentials?|passwords?|tokens?|keys?)\b/i,
    'the bridge cannot reveal secrets or credentials: use the credential reveal, which is approved and audited on its own',
  ],
  [
    /\b(?:kubeconfig|credentials?|passwords?|private\s+keys?|api\s+keys?)\b/i,
    'the bridge cannot read or change credentials',
  ],
  [/\b(?:polic(?:y|ies))\b/i, 'the bridge cannot change policy'],
  [
    /\b(?:skip|bypass|without|no)\b.*\b(?:preview|approvals?|tickets?|confirm(?:ation)?|review)\b/i,
    'the bridge cannot skip the preview, the confirm or an approval: every change is previewed and confirmed by its caller',
  ],
  [/\b(?:cancel|abort|stop)\b/i, 'the bridge cannot cancel releases or tasks: use the release page'],
  [
    /\b(?:grant|revoke|promote|elevate|make\s+me|admin(?:istrator)?|roles?|rbac|permissions?|bindings?)\b/i,
    'the bridge cannot change roles, permissions or role bindings',
  ],
  [/\brunners?\b/i, 'the bridge cannot register, revoke or change runners'],
  [/\b(?:apply|confirm|execute)\b/i, 'the bridge applies only through a preview its caller confirms'],
];

const UNQUOTE = /^(["'])(.*)\1$/;

function variablesOf(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const m of text.matchAll(new RegExp(`(${VAR.split('=')[0]})=("[^"]*"|'[^']*'|[^\\s,;]+)`, 'g'))) {
    const raw = m[2] ?? '';
    out[m[1] ?? ''] = raw.replace(UNQUOTE, '$2');
  }
  return out;
}

/** A sentence's full stop is not part of the name before it. */
const trimName = (name: string) => name.replace(/\.+$/, '');

/** The one clause a command is read from: the first line, without surrounding space. */
const firstLine = (text: string) => (text.split(/\r?\n/, 1)[0] ?? '').trim().replace(POLITE, '');

export function parseCommand(text: string): ParsedCommand {
  const line = firstLine(text);
  const deploy = DEPLOY.exec(line)?.groups;
  if (deploy?.service && deploy.env) {
    const version = deploy.v1 ?? deploy.v2 ?? deploy.v3;
    return {
      intent: 'deploy',
      service: deploy.service,
      environment: trimName(deploy.env),
      ...(version ? { version } : {}),
      variables: variablesOf(deploy.vars),
      ...(deploy.project ? { project: trimName(deploy.project) } : {}),
    };
  }
  const rollback = ROLLBACK.exec(line)?.groups;
  if (rollback?.service && rollback.env)
    return {
      intent: 'rollback',
      service: rollback.service,
      environment: trimName(rollback.env),
      ...(rollback.project ? { project: trimName(rollback.project) } : {}),
    };
  for (const re of STATUS) {
    const s = re.exec(line)?.groups;
    if (s?.env)
      return { intent: 'status', environment: trimName(s.env), ...(s.service ? { service: s.service } : {}) };
  }
  const list = LIST.exec(line)?.groups;
  if (list)
    return {
      intent: 'list',
      what: 'approvals',
      ...(list.project ? { project: trimName(list.project) } : {}),
    };
  for (const re of EXPLAIN) {
    const e = re.exec(line)?.groups;
    if (e?.id) return { intent: 'explain_failure', release_id: e.id.toLowerCase() };
  }
  // Nothing recognised: the whole text is checked, so an instruction after a greeting still refuses.
  for (const [re, reason] of REFUSALS) if (re.test(text)) return { intent: 'unknown', refusal: reason };
  return { intent: 'unknown' };
}

export const parserInterpreter: CommandInterpreter = {
  name: 'parser',
  interpret: async (text) => parseCommand(text),
};
