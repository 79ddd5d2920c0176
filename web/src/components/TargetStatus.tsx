import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, ok } from '../api/client';
import type { TargetStatus } from '../api/types';
import { TableScroll } from './TableScroll';

const HEALTH_COLOR: Record<string, string> = { healthy: 'teal', degraded: 'red', unknown: 'gray' };
const CONTAINER_COLOR: Record<string, string> = {
  running: 'teal',
  healthy: 'teal',
  complete: 'teal',
  starting: 'blue',
  created: 'blue',
  restarting: 'red',
  progressing: 'blue',
  paused: 'gray',
  unhealthy: 'red',
  exited: 'red',
  dead: 'red',
  failed: 'red',
};
/** A status older than the sweep's period is still shown, refreshed by whoever looks: every 15 s. */
const LIVE_MS = 15_000;
/** While a read the user asked for runs. */
const WAIT_MS = 1_500;

export function HealthBadge({ state }: { state: string }) {
  return (
    <Badge color={HEALTH_COLOR[state] ?? 'gray'} variant="filled" aria-label={`Status ${state}`}>
      {state}
    </Badge>
  );
}

const StateBadge = ({ state }: { state: string }) => (
  <Badge color={CONTAINER_COLOR[state] ?? 'gray'} variant="filled" size="sm">
    {state}
  </Badge>
);

/**
 * A target's status as its runner last read it: per compose host the containers, or the
 * Kubernetes workloads, each state in its colour. Refetched while on screen; Refresh has the
 * runner read it now and the section polls until that read's report is the one shown.
 */
export function TargetStatusSection({
  targetId,
  canRefresh,
  hostNames = {},
}: {
  targetId: string;
  canRefresh: boolean;
  /** Host id → name, where the page knows them; an id without a name is shown as it is. */
  hostNames?: Record<string, string>;
}) {
  const [waiting, setWaiting] = useState<string | null>(null);
  const status = useQuery({
    queryKey: ['target-status', targetId],
    queryFn: () => ok(api.GET('/deploy/targets/{id}/status', { params: { path: { id: targetId } } })),
    refetchInterval: (q) => (waiting && q.state.data?.job_id !== waiting ? WAIT_MS : LIVE_MS),
  });
  if (waiting && status.data?.job_id === waiting) setWaiting(null);
  const refresh = useMutation({
    mutationFn: () =>
      ok(api.POST('/deploy/targets/{id}/status/refresh', { params: { path: { id: targetId } } })),
    onSuccess: (r) => setWaiting(r.job_id),
  });
  const s = status.data;
  return (
    <Paper withBorder p="md" component="section" aria-label="Status">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={2} size="h4">
              Status
            </Title>
            {s && <HealthBadge state={s.state} />}
          </Group>
          {canRefresh ? (
            <Button
              size="xs"
              variant="default"
              loading={refresh.isPending || Boolean(waiting)}
              onClick={() => refresh.mutate()}
            >
              Refresh status
            </Button>
          ) : (
            <Text size="xs" c="dimmed">
              Refreshing needs target:write.
            </Text>
          )}
        </Group>
        {waiting && (
          <Text size="sm" role="status">
            Reading… (job {waiting})
          </Text>
        )}
        {refresh.error && (
          <Text size="sm" c="red" role="alert">
            {refresh.error instanceof ApiError
              ? `${refresh.error.message} (${refresh.error.code})`
              : String(refresh.error)}
          </Text>
        )}
        {s && <StatusBody s={s} hostNames={hostNames} />}
      </Stack>
    </Paper>
  );
}

function StatusBody({ s, hostNames }: { s: TargetStatus; hostNames: Record<string, string> }) {
  if (!s.observed_at)
    return (
      <Text size="sm" c="dimmed">
        Not read yet.
      </Text>
    );
  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="observed-at">
        Observed {new Date(s.observed_at).toLocaleString()}
        {s.error_code ? ` · could not read: ${s.error_code}` : ''}
      </Text>
      {s.hosts?.map((h) => (
        <Stack gap={4} key={h.host_id}>
          <Text size="sm" fw={600}>
            Host {hostNames[h.host_id] ?? h.host_id}
            {h.compose ? ` · compose ${h.compose}` : ''}
            {h.reachable ? '' : ` · unreachable: ${h.error_code ?? ''} ${h.message ?? ''}`}
          </Text>
          {h.reachable && (
            <TableScroll label={`Containers on ${hostNames[h.host_id] ?? h.host_id}`} minWidth={520}>
              <Table striped aria-label={`Containers on ${hostNames[h.host_id] ?? h.host_id}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Service</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Health</Table.Th>
                    <Table.Th>Image</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {h.containers.map((c) => (
                    <Table.Tr key={c.container}>
                      <Table.Td>{c.service}</Table.Td>
                      <Table.Td>
                        <StateBadge state={c.state} />
                        {c.exit_code !== null && c.state !== 'running' ? ` exit ${c.exit_code}` : ''}
                      </Table.Td>
                      <Table.Td>{c.health ? <StateBadge state={c.health} /> : '—'}</Table.Td>
                      <Table.Td>{c.image}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableScroll>
          )}
        </Stack>
      ))}
      {s.workloads && (
        <TableScroll label="Workloads" minWidth={520}>
          <Table striped aria-label="Workloads">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Workload</Table.Th>
                <Table.Th>Ready</Table.Th>
                <Table.Th>Rollout</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.workloads.map((w) => (
                <Table.Tr key={`${w.kind}/${w.name}`}>
                  <Table.Td>
                    {w.kind}/{w.name}
                  </Table.Td>
                  <Table.Td>
                    {w.ready}/{w.desired}
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={w.rollout} /> {w.message}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Stack>
  );
}

/** The environment page's column: each target's state, refetched while on screen. */
export function useEnvironmentStatuses(environmentId: string) {
  return useQuery({
    queryKey: ['target-statuses', { environment: environmentId }],
    queryFn: () =>
      ok(api.GET('/deploy/status', { params: { query: { environment_id: environmentId, limit: 200 } } })),
    refetchInterval: LIVE_MS,
  });
}
