import type { CiProvider } from '../../../shared/contracts/ci';

/**
 * The one request a manual or scheduled trigger makes at the provider's API (SPEC §7.2). Pure, so
 * the shapes can be read and tested without a network: GitHub's workflow dispatch, GitLab's
 * pipeline creation, a POST to the job URL for Jenkins and generic senders.
 */
export type ProviderCall = { url: URL; headers: Record<string, string>; body: string };

export type TriggerSubject = {
  provider: CiProvider;
  repository: string;
  providerApiUrl: string;
  providerJob: string | null;
};

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'k8s-manage' };

/** `base` + path segments, keeping any path the API URL has (GitHub Enterprise's `/api/v3`). */
const under = (base: string, path: string) => new URL(`${base.replace(/\/+$/, '')}/${path}`);

/**
 * The Jenkins or generic job URL: `provider_job` relative to the API URL, or absolute on its very
 * origin, so the token never goes anywhere but the credential's `api_origin`.
 */
export function jobUrl(apiUrl: string, job: string | null): URL | string {
  let url: URL;
  try {
    url = job === null ? new URL(apiUrl) : new URL(job, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  } catch {
    return 'must be a URL or a path under provider_api_url';
  }
  if (url.origin !== new URL(apiUrl).origin) return 'must be on the origin of provider_api_url';
  return url;
}

export function providerCall(
  s: TriggerSubject,
  token: string,
  ref: string | null,
): ProviderCall | { error: string } {
  switch (s.provider) {
    case 'github_actions': {
      if (!s.providerJob) return { error: 'provider_job (the workflow file) is not set' };
      if (!ref) return { error: 'no branch to run: give ref, or a branch filter naming one branch' };
      const segments = s.repository.split('/');
      // `..` would be resolved by the URL parser and move the call to another API path.
      if (segments.length !== 2 || segments.some((x) => x === '' || x === '.' || x === '..'))
        return { error: 'repository must be owner/name for a workflow dispatch' };
      const repo = segments.map(encodeURIComponent).join('/');
      return {
        url: under(
          s.providerApiUrl,
          `repos/${repo}/actions/workflows/${encodeURIComponent(s.providerJob)}/dispatches`,
        ),
        headers: {
          ...JSON_HEADERS,
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify({ ref }),
      };
    }
    case 'gitlab_ci': {
      if (!s.providerJob) return { error: 'provider_job (the project id or path) is not set' };
      if (!ref) return { error: 'no branch to run: give ref, or a branch filter naming one branch' };
      return {
        url: under(s.providerApiUrl, `projects/${encodeURIComponent(s.providerJob)}/pipeline`),
        headers: { ...JSON_HEADERS, 'private-token': token },
        body: JSON.stringify({ ref }),
      };
    }
    case 'jenkins':
    case 'generic': {
      const url = jobUrl(s.providerApiUrl, s.providerJob);
      if (typeof url === 'string') return { error: `provider_job ${url}` };
      // Jenkins takes `user:api-token` as Basic credentials; other senders a bearer token.
      const authorization =
        s.provider === 'jenkins' && token.includes(':')
          ? `Basic ${Buffer.from(token, 'utf8').toString('base64')}`
          : `Bearer ${token}`;
      return {
        url,
        headers: { ...JSON_HEADERS, authorization },
        body: JSON.stringify({ ref, repository: s.repository }),
      };
    }
  }
}

/** A branch filter without wildcards names the one branch a trigger runs by default. */
export const literalBranch = (filter: string | null) => (filter && !filter.includes('*') ? filter : null);
