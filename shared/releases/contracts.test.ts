// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates with ${VAR} placeholders are the subject under test
import { describe, expect, it } from 'vitest';
import { ApplyReleaseRequest, PreviewReleaseRequest, Release } from './contracts';

const issues = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('release requests', () => {
  it('defaults the strategy to rolling and the variables to none', () => {
    expect(PreviewReleaseRequest.parse({ service_id: 's', target_id: 't' })).toEqual({
      service_id: 's',
      target_id: 't',
      strategy: 'rolling',
      variables: {},
    });
  });

  it.each([
    ['an unknown strategy', { service_id: 's', target_id: 't', strategy: 'canary' }, 'strategy'],
    [
      'a lowercase variable name',
      { service_id: 's', target_id: 't', variables: { tag: '1' } },
      'variables.tag',
    ],
    ['a non-string value', { service_id: 's', target_id: 't', variables: { TAG: 1 } }, 'variables.TAG'],
  ])('refuses %s', (_, body, path) => {
    expect(issues(PreviewReleaseRequest.safeParse(body)).some((f) => f.startsWith(path))).toBe(true);
  });

  it('needs a preview_ref to apply', () => {
    expect(issues(ApplyReleaseRequest.safeParse({}))[0]).toMatch(/^preview_ref: /);
  });
});

describe('Release', () => {
  it('describes a release in preview', () => {
    const release = {
      release_id: 'rel_1',
      id: 'rel_1',
      status: 'preview',
      lifecycle_state: 'preview',
      runtime_type: 'k8s',
      approval_required: true,
      approval_ticket: null,
      preview_ref: 'prv_1',
      diagnostics_json: null,
      diagnostics_trimmed: false,
      service_id: 's',
      target_id: 't',
      environment_id: 'e',
      project_id: 'p',
      strategy: 'rolling',
      risk_level: 'high',
      risk_reasons: [{ rule: 'production', detail: 'targets a production environment' }],
      checks: [{ name: 'runner', status: 'warn', detail: 'no online runner in the pool' }],
      diff: {
        unified: '',
        summary: {
          images_changed: [{ resource: 'Deployment/web', container: 'web', from: null, to: 'web:1' }],
          replicas_changed: [],
          resources_added: ['Deployment/web'],
          resources_removed: [],
          secrets: [],
          secret_variables: [],
          scaled_to_zero: [],
        },
      },
      expires_at: '2026-01-01T00:15:00.000Z',
      rollback_of: null,
      created_by: 'u1',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    expect(Release.parse(release)).toEqual(release);
    expect(Release.safeParse({ ...release, status: 'applying' }).success).toBe(false);
  });
});
