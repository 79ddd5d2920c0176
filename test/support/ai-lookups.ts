/**
 * An in-memory AiLookups over one project whose secret values are known (registered with the leak
 * guard), with places an attacker could write: a service name, a description a lookup should never
 * pass on, and a container log line inside a release's (masked) diagnostics.
 */
import type { AiLookups, CommandInterpreter } from '../../functions/api/ai/interpret';
import { recordResponse, registerSecret } from './leak-guard';

export const PROJECT_SECRETS = [
  registerSecret('db-password-Q7v9sTz2xK'),
  registerSecret('registry-token-4mN8pL1wRb'),
];

/** What the gullible model submits for "deploy web 1.30 to development" over these lookups. */
export const DEPLOY_WEB_1_30 = {
  intent: 'deploy',
  service: 'web',
  environment: 'development',
  version: '1.30',
  variables: {},
} as const;

export type LookupOptions = {
  /** Extra services, e.g. one whose name carries an instruction. */
  services?: { id: string; name: string; description?: string }[];
  /** Log lines of rel_fail's failed step. */
  logLines?: string[];
};

export function fixtureLookups(options: LookupOptions = {}) {
  const calls: string[] = [];
  const services = [
    { id: 'svc_web', name: 'web', project_id: 'prj_shop', description: 'storefront' },
    ...(options.services ?? []).map((s) => ({ project_id: 'prj_shop', ...s })),
  ];
  const lookups: AiLookups = {
    async findServices(q) {
      calls.push('findServices');
      // Rows as a careless repository might return them: description included.
      return services.filter((s) => !q.name || s.name.includes(q.name));
    },
    async findEnvironments(q) {
      calls.push('findEnvironments');
      return [
        { id: 'env_dev', name: 'development', tier: 'development', project_id: 'prj_shop' },
        { id: 'env_prod', name: 'production', tier: 'production', project_id: 'prj_shop' },
      ].filter((e) => !q.name || e.name === q.name || e.tier === q.name);
    },
    async findTargets() {
      calls.push('findTargets');
      return [{ id: 'tgt_web_dev', name: 'web-dev', runtime: 'k8s', environment_id: 'env_dev' }];
    },
    async listTickets() {
      calls.push('listTickets');
      return [
        {
          id: 'tkt_1',
          release_id: 'rel_pending',
          service: 'web',
          environment: 'production',
          status: 'pending',
        },
      ];
    },
    async readRelease(id) {
      calls.push('readRelease');
      if (id !== 'rel_fail') return null;
      return {
        id,
        status: 'failed',
        diagnostics: {
          failed_step: 'rollout',
          error_code: 'ROLLOUT_TIMEOUT',
          message: 'deployment web did not become ready',
          // Masked by the platform before it was stored: the value shows as ***.
          output: ['DATABASE_URL=postgres://web:***@db/shop', ...(options.logLines ?? [])],
        },
      };
    },
  };
  return { lookups, calls };
}

/** A context recording what the interpreter kept, with the project's secret values to mask by. */
export function recordingContext(lookups: AiLookups, secretValues: readonly string[] = PROJECT_SECRETS) {
  const recorded: unknown[] = [];
  return {
    recorded,
    ctx: {
      lookups,
      project_id: 'prj_shop',
      secretValues,
      async recordProviderRequest(request: unknown) {
        recorded.push(request);
      },
    },
  };
}

/**
 * Interprets `text` over fresh fixture lookups; what the interpreter kept goes through the leak
 * guard as well as what was sent.
 */
export async function interpretOverFixtures(
  interpreter: CommandInterpreter,
  text: string,
  options: LookupOptions = {},
) {
  const { lookups, calls } = fixtureLookups(options);
  const { ctx, recorded } = recordingContext(lookups);
  const command = await interpreter.interpret(text, ctx);
  recordResponse(JSON.stringify(recorded));
  return { command, calls, recorded };
}
