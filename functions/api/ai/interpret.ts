/**
 * The seam between understanding a sentence and acting on it (SPEC §7.3). The deterministic
 * parser and an optional model both only *interpret*: they turn text into a ParsedCommand, looking
 * things up through AiLookups if they need to. Acting (previews, confirms) is done afterwards by
 * the bridge itself as the caller, so no interpreter — least of all a model — holds a tool that
 * approves, rejects, reveals, cancels, applies or changes policy, RBAC, credentials or runners.
 */

export type Intent = 'deploy' | 'rollback' | 'status' | 'list' | 'explain_failure' | 'unknown';

/** What a sentence asks for, by name as the user said it; nothing is resolved or checked yet. */
export type ParsedCommand =
  | {
      intent: 'deploy';
      service: string;
      environment: string;
      /** Fills TAG (SPEC §7.0). */
      version?: string;
      variables: Record<string, string>;
      project?: string;
    }
  | { intent: 'rollback'; service: string; environment: string; project?: string }
  | { intent: 'status'; environment: string; service?: string; project?: string }
  | { intent: 'list'; what: 'approvals'; project?: string }
  | { intent: 'explain_failure'; release_id: string }
  | {
      intent: 'unknown';
      /** Set when the text asked for something the bridge may never do (approve, reveal, grant…). */
      refusal?: string;
    };

/**
 * Read-only lookups an interpreter may use, already scoped to what the caller may read. They answer
 * names, ids and states only: never a secret value, credential, token or unmasked revision.
 */
export interface AiLookups {
  findServices(q: {
    name?: string;
    project_id?: string;
  }): Promise<{ id: string; name: string; project_id: string }[]>;
  findEnvironments(q: {
    name?: string;
    project_id?: string;
  }): Promise<{ id: string; name: string; tier: string; project_id: string }[]>;
  findTargets(q: {
    service_id?: string;
    environment_id?: string;
  }): Promise<{ id: string; name: string; runtime: 'k8s' | 'compose'; environment_id: string }[]>;
  listTickets(q: { project_id?: string; status?: 'pending' }): Promise<
    {
      id: string;
      release_id: string | null;
      service: string | null;
      environment: string | null;
      status: string;
    }[]
  >;
  /** A release's masked state, timeline and diagnostics; null when the caller may not read it. */
  readRelease(id: string): Promise<Record<string, unknown> | null>;
}

export type InterpretContext = {
  lookups: AiLookups;
  project_id?: string;
  /** Keeps what was sent to a model (already masked) with the command; the parser sends nothing. */
  recordProviderRequest(request: unknown): Promise<void>;
};

export interface CommandInterpreter {
  readonly name: 'parser' | 'openai' | 'bedrock';
  interpret(text: string, ctx: InterpretContext): Promise<ParsedCommand>;
}
