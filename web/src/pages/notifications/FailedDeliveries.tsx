import { Button, List, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { ListTable } from '../../components/ListTable';

/** Deliveries fail on the sweep's schedule, not on a click: the list looks again now and then. */
const POLL_MS = 5000;
const time = (s: string) => new Date(s).toLocaleString();

/** The project's failed deliveries with each try, and "Redeliver" (back to pending, sent by the next sweep). */
export function FailedDeliveries(props: {
  projectId: string;
  mayRedeliver: boolean;
  endpoints: { id: string; url: string }[];
}) {
  const queries = useQueryClient();
  const failed = useQuery({
    queryKey: ['notification-deliveries', props.projectId, 'failed'],
    queryFn: () =>
      ok(
        api.GET('/notifications/deliveries', {
          params: { query: { project_id: props.projectId, status: 'failed' } },
        }),
      ),
    refetchInterval: POLL_MS,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      ok(api.POST('/notifications/deliveries/{id}/redeliver', { params: { path: { id } } })),
    onSuccess: () =>
      void queries.invalidateQueries({ queryKey: ['notification-deliveries', props.projectId] }),
  });
  const urlOf = (id: string) => props.endpoints.find((e) => e.id === id)?.url ?? 'a deleted endpoint';
  // Newest first: ids sort by creation time.
  const items = [...(failed.data?.items ?? [])].reverse();

  return (
    <Stack>
      <Title order={2}>Failed deliveries</Title>
      <ErrorNote error={failed.error} title="Deliveries not loaded" />
      <ErrorNote error={redeliver.error} title="Not redelivered" />
      <ListTable
        label="Failed deliveries"
        minWidth={720}
        headers={['Event', 'Endpoint', 'Tries', 'Actions']}
        items={items}
        empty="No failed delivery."
        row={(d) => (
          <Table.Tr key={d.id} data-testid="failed-delivery">
            <Table.Td>
              <Text size="sm">{d.type}</Text>
              <Text size="xs" c="dimmed">
                {time(d.occurred_at)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {urlOf(d.endpoint_id)}
              </Text>
            </Table.Td>
            <Table.Td>
              <List size="xs" aria-label="Tries">
                {d.attempts.map((a) => (
                  <List.Item key={a.at}>
                    {time(a.at)} — {a.http_status === null ? a.error : `HTTP ${a.http_status}`}
                  </List.Item>
                ))}
              </List>
            </Table.Td>
            <Table.Td>
              {props.mayRedeliver ? (
                <Button
                  size="xs"
                  aria-label={`Redeliver ${d.type}`}
                  loading={redeliver.isPending && redeliver.variables === d.id}
                  onClick={() => redeliver.mutate(d.id)}
                >
                  Redeliver
                </Button>
              ) : (
                <Text size="xs" c="dimmed">
                  Redelivery needs notification:write.
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
