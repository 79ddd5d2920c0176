import { Badge, Button, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { NOTIFIABLE_EVENTS, NOTIFIABLE_PREFIXES } from '../../../../shared/notifications/events';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ListTable } from '../../components/ListTable';
import { ProjectSelect } from '../../components/ProjectSelect';
import { ShownOnce } from '../../components/ShownOnce';
import { FailedDeliveries } from './FailedDeliveries';

/** Whole families first (what most endpoints want), then single events. */
const EVENT_OPTIONS = [
  { group: 'Families', items: NOTIFIABLE_PREFIXES.map((p) => `${p}*`) },
  { group: 'Events', items: [...NOTIFIABLE_EVENTS] },
];

const date = (s: string) => new Date(s).toLocaleString();

/** A project's notification endpoints (secret shown once, rotate, delete) and failed deliveries. */
export default function NotificationsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project_id');
  const mayWrite = projectId !== null && can(me.data, 'notification:write', projectId);
  const endpoints = useQuery({
    queryKey: ['notification-endpoints', projectId],
    enabled: projectId !== null,
    queryFn: () =>
      ok(api.GET('/notifications/endpoints', { params: { query: { project_id: projectId ?? undefined } } })),
  });
  const [draft, setDraft] = useState<{ url: string; events: string[] }>({ url: '', events: ['release.*'] });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['notification-endpoints', projectId] });
  const add = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/notifications/endpoints', {
          body: { project_id: projectId ?? '', url: draft.url, events: draft.events },
        }),
      ),
    onSuccess: (e) => {
      setSecret({ url: e.url, secret: e.secret });
      setDraft({ url: '', events: ['release.*'] });
      void refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) =>
      ok(api.POST('/notifications/endpoints/{id}/rotate-secret', { params: { path: { id } } })),
    onSuccess: (e) => {
      setSecret({ url: e.url, secret: e.secret });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/notifications/endpoints/{id}', { params: { path: { id } } })),
    onSuccess: () => void refresh(),
  });
  const items = endpoints.data?.items ?? [];

  return (
    <Stack>
      <PageTitle>Notifications</PageTitle>
      <Text size="sm" c="dimmed">
        A project's audit events sent to your URLs, signed with Standard Webhooks and retried for about an
        hour.
      </Text>
      <Group>
        <ProjectSelect
          value={projectId}
          onChange={(v) => setParams(v ? { project_id: v } : {}, { replace: true })}
        />
      </Group>
      {projectId === null ? (
        <Text size="sm">Choose a project to see its endpoints.</Text>
      ) : (
        <>
          <Title order={2}>Endpoints</Title>
          <ErrorNote error={endpoints.error} title="Endpoints not loaded" />
          <ErrorNote error={rotate.error ?? remove.error} title="Not changed" />
          <ListTable
            label="Endpoints"
            minWidth={640}
            headers={['URL', 'Events', 'Secret since', 'Actions']}
            items={items}
            empty="No endpoint yet."
            row={(e) => (
              <Table.Tr key={e.id} data-testid="endpoint-row">
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {e.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {e.events.map((ev) => (
                      <Badge key={ev} variant="light" color="gray" tt="none">
                        {ev}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{date(e.secret_rotated_at)}</Text>
                </Table.Td>
                <Table.Td>
                  {mayWrite ? (
                    <Group gap={6}>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Rotate secret of ${e.url}`}
                        loading={rotate.isPending && rotate.variables === e.id}
                        onClick={() => rotate.mutate(e.id)}
                      >
                        Rotate secret
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        aria-label={`Delete ${e.url}`}
                        loading={remove.isPending && remove.variables === e.id}
                        onClick={() => remove.mutate(e.id)}
                      >
                        Delete
                      </Button>
                    </Group>
                  ) : (
                    <Text size="xs" c="dimmed">
                      Changes need notification:write.
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          />
          {secret && (
            <ShownOnce
              title="Signing secret"
              value={secret.secret}
              hint={`Verify the messages ${secret.url} receives with this secret (webhook-signature). It is not shown again; rotate it for a new one.`}
              onDismiss={() => setSecret(null)}
            />
          )}
          {mayWrite ? (
            <form
              aria-label="Add endpoint"
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate();
              }}
            >
              <Stack gap="xs">
                <Group grow align="flex-start" wrap="wrap">
                  <TextInput
                    label="URL"
                    placeholder="https://hooks.example.com/k8s-manage"
                    value={draft.url}
                    onChange={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
                    error={fieldError(add.error, 'url')}
                  />
                  <MultiSelect
                    label="Events"
                    data={EVENT_OPTIONS}
                    value={draft.events}
                    searchable
                    onChange={(events) => setDraft({ ...draft, events })}
                    error={fieldError(add.error, 'events')}
                  />
                </Group>
                <ErrorNote error={add.error} title="Endpoint not added" />
                <Group>
                  <Button type="submit" loading={add.isPending}>
                    Add endpoint
                  </Button>
                </Group>
              </Stack>
            </form>
          ) : (
            <Text size="sm" c="dimmed">
              Adding endpoints needs notification:write.
            </Text>
          )}
          <FailedDeliveries projectId={projectId} mayRedeliver={mayWrite} endpoints={items} />
        </>
      )}
    </Stack>
  );
}
