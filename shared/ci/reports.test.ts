// biome-ignore-all lint/suspicious/noTemplateCurlyInString: image templates with ${VAR} placeholders are the subject under test
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageTemplateProblem, imageValues, renderImage } from './image';
import { readReport, refAllowed } from './reports';

/** Payloads in the shapes the providers document, as their deliveries carry them. */
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'));

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

describe('reading build reports', () => {
  it('reads a GitHub push as the commit of a build not started yet', () => {
    expect(readReport('github_actions', 'push', fixture('github-push'))).toEqual({
      ok: true,
      report: {
        runId: null,
        commit: SHA,
        ref: 'refs/heads/main',
        status: null,
        runNumber: null,
        artifacts: null,
      },
    });
  });

  it.each([
    ['github-workflow-run-requested', 'queued'],
    ['github-workflow-run-in-progress', 'running'],
    ['github-workflow-run-completed', 'succeeded'],
    ['github-workflow-run-failed', 'failed'],
  ])('reads GitHub %s as %s', (name, status) => {
    expect(readReport('github_actions', 'workflow_run', fixture(name))).toEqual({
      ok: true,
      report: {
        runId: '30433642',
        commit: SHA,
        ref: 'refs/heads/main',
        status,
        runNumber: '562',
        artifacts: null,
      },
    });
  });

  it('reads GitLab pipeline hooks and push hooks', () => {
    const sha = 'bcbb5ec396a2c0f828686f14fac9b80b780504f2';
    expect(readReport('gitlab_ci', 'Pipeline Hook', fixture('gitlab-pipeline-success'))).toEqual({
      ok: true,
      report: {
        runId: '31',
        commit: sha,
        ref: 'refs/heads/main',
        status: 'succeeded',
        runNumber: '3',
        artifacts: null,
      },
    });
    expect(readReport('gitlab_ci', 'Pipeline Hook', fixture('gitlab-pipeline-running'))).toMatchObject({
      report: { status: 'running' },
    });
    expect(readReport('gitlab_ci', 'Push Hook', fixture('gitlab-push'))).toMatchObject({
      report: { runId: null, commit: sha, status: null },
    });
  });

  it("reads the generic report with the sender's artifacts", () => {
    expect(readReport('generic', undefined, fixture('generic-succeeded'))).toEqual({
      ok: true,
      report: {
        runId: 'jenkins-web-build-1187',
        commit: '0e5d8a4f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e',
        ref: 'refs/tags/v2.4.0',
        status: 'succeeded',
        runNumber: '1187',
        artifacts: [{ image: 'registry.internal/web:v2.4.0', digest: `sha256:${'4f'.repeat(32)}` }],
      },
    });
  });

  it('ignores events that say nothing about a build, and deleted refs', () => {
    expect(readReport('github_actions', 'ping', { zen: 'Keep it logically awesome.' })).toMatchObject({
      ok: false,
      ignored: expect.stringContaining('ping'),
    });
    const deleted = { ...(fixture('github-push') as object), deleted: true, after: '0'.repeat(40) };
    expect(readReport('github_actions', 'push', deleted)).toEqual({ ok: false, ignored: 'a deleted ref' });
  });

  it('names the fields of a payload it cannot read', () => {
    const r = readReport('generic', undefined, {
      run_id: 7,
      commit: 'not a sha',
      ref: 'main',
      status: 'done',
    });
    expect(r.ok).toBe(false);
    expect((r as { invalid: { path: string }[] }).invalid.map((f) => f.path).sort()).toEqual([
      'commit',
      'status',
    ]);
  });
});

describe('image templates', () => {
  it('renders the pipeline image from what a build says, and waits for what it does not say yet', () => {
    const t = 'registry.internal/web:${SHORT_SHA}-${RUN_NUMBER}';
    expect(renderImage(t, imageValues({ commit: SHA, ref: 'refs/heads/main', runNumber: null }))).toBeNull();
    expect(renderImage(t, imageValues({ commit: SHA, ref: 'refs/heads/main', runNumber: '562' }))).toBe(
      'registry.internal/web:6113728-562',
    );
    expect(
      renderImage('r/web:${TAG}', imageValues({ commit: SHA, ref: 'refs/tags/v1.2.0', runNumber: null })),
    ).toBe('r/web:v1.2.0');
  });

  it('refuses placeholders a build cannot fill', () => {
    expect(imageTemplateProblem('r/web:${SHA}')).toBeNull();
    expect(imageTemplateProblem('r/web:${VERSION}')).toContain('${VERSION}');
    expect(imageTemplateProblem('r/web:${SHA')).toContain('unclosed');
  });

  it('lets refs through the filters as globs', () => {
    const p = { branchFilter: 'release/*', tagFilter: 'v*' };
    expect(refAllowed(p, 'refs/heads/release/2.4')).toBe(true);
    expect(refAllowed(p, 'refs/heads/main')).toBe(false);
    expect(refAllowed(p, 'refs/tags/v2.4.0')).toBe(true);
    expect(refAllowed(p, 'refs/tags/nightly')).toBe(false);
    expect(refAllowed({ branchFilter: null, tagFilter: null }, 'refs/heads/anything')).toBe(true);
  });
});
