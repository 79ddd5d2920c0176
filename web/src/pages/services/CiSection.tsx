import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { CiTrigger, PipelineWithSecret, CiProvider as Provider } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ListTable } from '../../components/ListTable';
import { ShownOnce } from '../../components/ShownOnce';
import { RunNow } from './RunNow';

const PROVIDERS: { value: Provider; label: string }[] = [
  { value: 'github_actions', label: 'GitHub Actions' },
  { value: 'gitlab_ci', label: 'GitLab CI' },
  { value: 'jenkins', label: 'Jenkins' },
  { value: 'generic', label: 'Other (Standard Webhooks)' },
];
/**
 * A build without a final state may still move, so the list polls quickly while one has none;
 * while pipelines exist it still looks now and then, for builds their providers report next.
 */
const TRIGGERS: { value: CiTrigger; label: string }[] = [
  { value: 'push', label: 'Push' },
  { value: 'tag', label: 'Tag' },
  { value: 'manual', label: 'Manual' },
  { value: 'schedule', label: 'Schedule' },
];
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { timeZoneName: 'short' });
const FINAL = new Set(['succeeded', 'failed', 'unknown']);
const POLL_MS = 3000;
const IDLE_POLL_MS = 10_000;
const COLOR: Record<string, string> = { succeeded: 'teal', failed: 'red', unknown: 'gray' };

/** The service's CI pipelines (add one, its secret shown once) and the builds they reported. */
export function CiSection(props: { serviceId: string; projectId: string }) {
  const me = useMe();
  const queries = useQueryClient();
  const mayWrite = can(me.data, 'ci:write', props.projectId);
  const pipelines = useQuery({
    queryKey: ['pipelines', props.serviceId],
    queryFn: () => ok(api.GET('/ci/pipelines', { params: { query: { service_id: props.serviceId } } })),
  });
  const builds = useQuery({
    queryKey: ['builds', props.serviceId],
    queryFn: () => ok(api.GET('/ci/builds', { params: { query: { service_id: props.serviceId } } })),
    refetchInterval: (q) =>
      q.state.data?.items.some((b) => !FINAL.has(b.status))
        ? POLL_MS
        : pipelines.data?.items.length
          ? IDLE_POLL_MS
          : false,
  });
  const empty = {
    provider: 'github_actions' as Provider,
    trigger: 'push' as CiTrigger,
    repository: '',
    image: '',
    schedule: '',
    apiUrl: '',
    job: '',
    credential: '',
  };
  const [draft, setDraft] = useState(empty);
  // Provider tokens the pipeline may name; a caller who may not list credentials sees none.
  const tokens = useQuery({
    queryKey: ['ci-provider-credentials', props.projectId],
    enabled: mayWrite,
    retry: false,
    queryFn: () =>
      ok(
        api.GET('/credentials', {
          params: { query: { project_id: props.projectId, kind: 'ci_provider' } },
        }),
      ),
  });
  const [created, setCreated] = useState<PipelineWithSecret | null>(null);
  const add = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/ci/pipelines', {
          body: {
            project_id: props.projectId,
            service_id: props.serviceId,
            provider: draft.provider,
            repository: draft.repository,
            image: draft.image,
            trigger: draft.trigger,
            schedule: draft.trigger === 'schedule' ? draft.schedule : null,
            provider_api_url: draft.apiUrl || null,
            provider_job: draft.job || null,
            provider_credential_id: draft.credential || null,
          },
        }),
      ),
    onSuccess: (p) => {
      setCreated(p);
      setDraft({ ...empty, provider: draft.provider });
      void queries.invalidateQueries({ queryKey: ['pipelines', props.serviceId] });
    },
  });
  const targets = useQuery({
    queryKey: ['targets', 'project', props.projectId],
    queryFn: () => ok(api.GET('/deploy/targets', { params: { query: { project_id: props.projectId } } })),
  });
  const targetName = (id: string) => targets.data?.items.find((t) => t.id === id)?.name ?? id;
  const items = builds.data?.items ?? [];
  // Newest first: ids sort by creation time.
  const newest = [...items].reverse();

  return (
    <Stack>
      <Title order={2}>CI pipelines</Title>
      <ErrorNote error={pipelines.error} title="Pipelines not loaded" />
      <ListTable
        label="Pipelines"
        minWidth={720}
        headers={['Provider', 'Repository', 'Image', 'Trigger', 'Webhook URL']}
        items={pipelines.data?.items ?? []}
        empty="No pipeline yet."
        row={(p) => (
          <Table.Tr key={p.id}>
            <Table.Td>{PROVIDERS.find((x) => x.value === p.provider)?.label ?? p.provider}</Table.Td>
            <Table.Td>{p.repository}</Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {p.image}
              </Text>
            </Table.Td>
            <Table.Td>
              <Stack gap={4}>
                <Text size="sm">{TRIGGERS.find((t) => t.value === p.trigger)?.label ?? p.trigger}</Text>
                {p.schedule && (
                  <Text size="xs" ff="monospace">
                    {p.schedule} (UTC)
                  </Text>
                )}
                {p.next_fire_at && (
                  <Text size="xs" data-testid="next-fire">
                    next: {when(p.next_fire_at)}
                  </Text>
                )}
                {p.trigger === 'manual' && mayWrite && <RunNow pipeline={p} />}
              </Stack>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {p.webhook_url}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      />
      {created && (
        <ShownOnce
          title="Webhook secret"
          value={created.webhook_secret}
          hint={`Give this secret and ${created.webhook_url} to your CI provider. It is not shown again; rotate it for a new one.`}
          onDismiss={() => setCreated(null)}
        />
      )}
      {mayWrite ? (
        <form
          aria-label="Add pipeline"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Stack gap="xs">
            <Group grow align="flex-start" wrap="wrap">
              <Select
                label="Provider"
                data={PROVIDERS}
                value={draft.provider}
                allowDeselect={false}
                onChange={(v) => v && setDraft({ ...draft, provider: v as Provider })}
                error={fieldError(add.error, 'provider')}
              />
              <TextInput
                label="Repository"
                value={draft.repository}
                onChange={(e) => setDraft({ ...draft, repository: e.currentTarget.value })}
                error={fieldError(add.error, 'repository')}
              />
              <TextInput
                label="Image"
                placeholder="registry.internal/web:${SHORT_SHA}"
                value={draft.image}
                onChange={(e) => setDraft({ ...draft, image: e.currentTarget.value })}
                error={fieldError(add.error, 'image')}
              />
            </Group>
            <Group grow align="flex-start" wrap="wrap">
              <Select
                label="Trigger"
                data={TRIGGERS}
                value={draft.trigger}
                allowDeselect={false}
                onChange={(v) => v && setDraft({ ...draft, trigger: v as CiTrigger })}
                error={fieldError(add.error, 'trigger')}
              />
              {draft.trigger === 'schedule' && (
                <TextInput
                  label="Schedule (cron, UTC)"
                  placeholder="30 2 * * 1-5"
                  value={draft.schedule}
                  onChange={(e) => setDraft({ ...draft, schedule: e.currentTarget.value })}
                  error={fieldError(add.error, 'schedule')}
                />
              )}
            </Group>
            {(draft.trigger === 'manual' || draft.trigger === 'schedule') && (
              <Group grow align="flex-start" wrap="wrap">
                <TextInput
                  label="API URL"
                  description="where runs are started, e.g. https://api.github.com"
                  value={draft.apiUrl}
                  onChange={(e) => setDraft({ ...draft, apiUrl: e.currentTarget.value })}
                  error={fieldError(add.error, 'provider_api_url')}
                />
                <TextInput
                  label="Job"
                  description="workflow file, project, or job path"
                  value={draft.job}
                  onChange={(e) => setDraft({ ...draft, job: e.currentTarget.value })}
                  error={fieldError(add.error, 'provider_job')}
                />
                <Select
                  label="API token"
                  description="a CI provider token credential"
                  placeholder="none: only record the intent"
                  clearable
                  data={(tokens.data?.items ?? []).map((c) => ({
                    value: c.id,
                    label: `${c.name} (${String(c.metadata.api_origin ?? '')})`,
                  }))}
                  value={draft.credential || null}
                  onChange={(v) => setDraft({ ...draft, credential: v ?? '' })}
                  error={fieldError(add.error, 'provider_credential_id')}
                />
              </Group>
            )}
            <ErrorNote error={add.error} title="Pipeline not added" />
            <Group>
              <Button type="submit" loading={add.isPending}>
                Add pipeline
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Text size="sm" c="dimmed">
          Adding pipelines needs ci:write.
        </Text>
      )}

      <Title order={2}>Builds</Title>
      <ErrorNote error={builds.error} title="Builds not loaded" />
      <ListTable
        label="Builds"
        minWidth={560}
        headers={['Commit', 'Ref', 'Status', 'Image', 'Deployments']}
        items={newest}
        empty="No build reported yet."
        row={(b) => (
          <Table.Tr key={b.id} data-testid="build-row">
            <Table.Td ff="monospace">{b.commit.slice(0, 7)}</Table.Td>
            <Table.Td>{b.ref?.replace(/^refs\/(heads|tags)\//, '') ?? '—'}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                <Badge color={COLOR[b.status] ?? 'blue'} variant="filled">
                  {b.status}
                </Badge>
                {!FINAL.has(b.status) && (
                  <Badge size="sm" variant="default" data-testid="status-syncing">
                    status syncing
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {b.artifacts.map((a) => a.image).join(', ') || '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Stack gap={2}>
                {b.deployments.map((d) => (
                  <Text
                    size="xs"
                    key={`${d.target_id}-${d.release_id ?? d.outcome}`}
                    data-testid="deployment"
                  >
                    {d.release_id ? (
                      <Anchor component={Link} to={`/releases/${d.release_id}`}>
                        {targetName(d.target_id)}
                      </Anchor>
                    ) : (
                      targetName(d.target_id)
                    )}
                    : {d.outcome}
                    {d.error_code && ` (${d.error_code})`}
                  </Text>
                ))}
                {b.deployments.length === 0 && '—'}
              </Stack>
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
