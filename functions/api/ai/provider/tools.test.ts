import { describe, expect, it } from 'vitest';
import { fixtureLookups } from '../../../../test/support/ai-lookups';
import { BEDROCK_TOOLS } from './bedrock';
import { OPENAI_TOOLS } from './openai';
import { ALLOWED_TOOLS, commandFromSubmission, isAllowedTool, runLookup, TOOL_SPECS } from './tools';

describe('the tools a model is offered', () => {
  it('are exactly the lookups and submit_command, in both wire formats', () => {
    const allowed = [
      'find_services',
      'find_environments',
      'find_targets',
      'list_tickets',
      'read_release',
      'submit_command',
    ];
    expect([...ALLOWED_TOOLS].sort()).toEqual([...allowed].sort());
    expect(TOOL_SPECS.map((t) => t.name).sort()).toEqual([...allowed].sort());
    expect(OPENAI_TOOLS.map((t) => t.function.name).sort()).toEqual([...allowed].sort());
    expect(BEDROCK_TOOLS.map((t) => t.toolSpec?.name).sort()).toEqual([...allowed].sort());
  });

  it.each([
    'approve_ticket',
    'reject_ticket',
    'reveal_credential',
    'apply_release',
    'confirm',
    'cancel_release',
    'grant_role',
    'set_policy',
    'register_runner',
    'SUBMIT_COMMAND',
    'submit_command ',
  ])('has no %s', (name) => {
    expect(isAllowedTool(name)).toBe(false);
    expect(JSON.stringify([OPENAI_TOOLS, BEDROCK_TOOLS])).not.toContain(`"${name}"`);
  });

  it('describe every input as a closed object', () => {
    for (const t of TOOL_SPECS)
      expect(t.parameters).toMatchObject({ type: 'object', additionalProperties: false });
  });
});

describe('a submitted command', () => {
  it('becomes the ParsedCommand it spells', () => {
    expect(commandFromSubmission({ intent: 'rollback', service: 'web', environment: 'production' })).toEqual({
      intent: 'rollback',
      service: 'web',
      environment: 'production',
    });
    expect(
      commandFromSubmission({ intent: 'deploy', service: 'web', environment: 'staging', version: '1.4.2' }),
    ).toEqual({
      intent: 'deploy',
      service: 'web',
      environment: 'staging',
      version: '1.4.2',
      variables: {},
    });
    expect(commandFromSubmission({ intent: 'list', what: 'approvals', project: 'shop' })).toEqual({
      intent: 'list',
      what: 'approvals',
      project: 'shop',
    });
  });

  it('is refused, named, when it asks for an act or a field the bridge does not have', () => {
    expect(commandFromSubmission({ intent: 'grant_role', role: 'admin' })).toEqual({
      intent: 'unknown',
      refusal: expect.stringContaining('"grant_role"'),
    });
    expect(commandFromSubmission({ intent: 'list', what: 'approvals', approve_all: true })).toEqual({
      intent: 'unknown',
      refusal: expect.stringContaining('"approve_all"'),
    });
  });

  it('that does not make a command is unknown, without a refusal', () => {
    expect(commandFromSubmission({ intent: 'deploy', service: 'web' })).toEqual({ intent: 'unknown' });
    expect(commandFromSubmission('deploy web')).toEqual({ intent: 'unknown' });
    expect(commandFromSubmission({ intent: 'list', what: 'credentials' })).toEqual({ intent: 'unknown' });
  });
});

describe('lookup results', () => {
  it('carry only the fields a lookup declares', async () => {
    const { lookups } = fixtureLookups({
      services: [{ id: 'svc_x', name: 'web-x', description: 'free text' }],
    });
    const out = JSON.parse(await runLookup('find_services', { name: 'web' }, lookups));
    expect(out).toEqual([
      { id: 'svc_web', name: 'web', project_id: 'prj_shop' },
      { id: 'svc_x', name: 'web-x', project_id: 'prj_shop' },
    ]);
  });

  it('say so when a release is not readable', async () => {
    const { lookups } = fixtureLookups();
    expect(JSON.parse(await runLookup('read_release', { id: 'rel_other' }, lookups))).toEqual({
      error: 'no such release, or not readable',
    });
  });
});

describe('the configured interpreter', () => {
  it('is none for the parser, and made once per settings', async () => {
    const { modelInterpreter } = await import('./index');
    const aws = { region: undefined, endpoint: undefined };
    expect(modelInterpreter({ ai: { provider: 'parser' }, aws })).toBeUndefined();
    const ai = { provider: 'bedrock' as const, model: 'amazon.nova-lite-v1:0' };
    const first = modelInterpreter({ ai, aws });
    expect(first?.name).toBe('bedrock');
    expect(modelInterpreter({ ai, aws })).toBe(first);
    const openai = {
      provider: 'openai' as const,
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'm',
      key: { kind: 'none' as const },
    };
    expect(modelInterpreter({ ai: openai, aws })?.name).toBe('openai');
  });
});
