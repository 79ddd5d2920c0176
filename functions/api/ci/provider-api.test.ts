import { describe, expect, it } from 'vitest';
import { jobUrl, literalBranch, providerCall } from './provider-api';

const subject = {
  provider: 'github_actions' as const,
  repository: 'octo-org/web',
  providerApiUrl: 'https://ghe.example/api/v3/',
  providerJob: 'deploy.yml',
};

describe('the request a trigger makes', () => {
  it('keeps the API URL path (GitHub Enterprise) and encodes what goes into the path', () => {
    const call = providerCall({ ...subject, providerJob: 'ci/../x.yml' }, 't0k', 'main');
    expect('url' in call && call.url.href).toBe(
      'https://ghe.example/api/v3/repos/octo-org/web/actions/workflows/ci%2F..%2Fx.yml/dispatches',
    );
  });

  it('refuses a repository that would move the call to another API path', () => {
    for (const repository of ['../../admin', 'octo-org', 'a/b/c', 'octo-org/..'])
      expect(providerCall({ ...subject, repository }, 't', 'main')).toEqual({
        error: 'repository must be owner/name for a workflow dispatch',
      });
  });

  it('names what is missing instead of calling', () => {
    expect(providerCall({ ...subject, providerJob: null }, 't', 'main')).toEqual({
      error: 'provider_job (the workflow file) is not set',
    });
    expect(providerCall(subject, 't', null)).toMatchObject({ error: expect.stringContaining('no branch') });
  });

  it('keeps Jenkins and generic job URLs on the API origin', () => {
    expect(jobUrl('https://ci.example', 'job/web/build')).toEqual(
      new URL('https://ci.example/job/web/build'),
    );
    expect(jobUrl('https://ci.example/', 'https://ci.example/job/x')).toEqual(
      new URL('https://ci.example/job/x'),
    );
    expect(jobUrl('https://ci.example', 'https://elsewhere.example/job/x')).toBe(
      'must be on the origin of provider_api_url',
    );
    expect(jobUrl('https://ci.example', '//elsewhere.example/job')).toBe(
      'must be on the origin of provider_api_url',
    );
  });

  it('runs the branch filter by default only when it names one branch', () => {
    expect(literalBranch('main')).toBe('main');
    expect(literalBranch('release/*')).toBeNull();
    expect(literalBranch(null)).toBeNull();
  });
});
