import { Alert, Anchor, Badge, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { ProjectSelect } from '../../components/ProjectSelect';
import { STATUS_COLOR, waitingText } from './waiting';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const KINDS = ['release_apply', 'host_test', 'cluster_test', 'environment_install'] as const;
/** Queued jobs change place as others are claimed: the list asks again while any waits. */
const POLL_MS = 5000;

export default function JobsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const query = {
    project_id: params.get('project_id') ?? undefined,
    runner_pool_id: params.get('runner_pool_id') ?? undefined,
    status: (params.get('status') ?? undefined) as (typeof STATUSES)[number] | undefined,
    kind: (params.get('kind') ?? undefined) as (typeof KINDS)[number] | undefined,
  };
  const allowed = can(me.data, 'runner:read');
  const jobs = useQuery({
    queryKey: ['jobs', query],
    queryFn: () => ok(api.GET('/jobs', { params: { query } })),
    enabled: allowed,
    refetchInterval: (q) => (q.state.data?.items.some((j) => j.status === 'queued') ? POLL_MS : false),
  });
  return (
    <Stack>
      <PageTitle>Jobs</PageTitle>
      {me.data && !allowed && (
        <Alert color="yellow" title="Not available">
          Seeing jobs needs the permission runner:read.
        </Alert>
      )}
      <Group>
        <ProjectSelect clearable value={query.project_id ?? null} onChange={(v) => set('project_id', v)} />
        <Select
          label="Status"
          clearable
          data={[...STATUSES]}
          value={query.status ?? null}
          onChange={(v) => set('status', v)}
        />
        <Select
          label="Kind"
          clearable
          data={[...KINDS]}
          value={query.kind ?? null}
          onChange={(v) => set('kind', v)}
        />
      </Group>
      <ErrorNote error={jobs.error} />
      <Table.ScrollContainer minWidth={640} tabIndex={0} aria-label="Jobs table, scrolls sideways">
        <Table striped highlightOnHover aria-label="Jobs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Pool</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Job</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(jobs.data?.items ?? []).map((j) => (
              <Table.Tr key={j.id}>
                <Table.Td>{j.kind}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[j.status]} variant="filled">
                    {j.status}
                  </Badge>
                  {waitingText(j) && (
                    <Text size="sm" data-testid="waiting-reason">
                      {waitingText(j)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{j.runner_pool_name ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{new Date(j.created_at).toLocaleString()}</Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/jobs/${j.id}`} ff="monospace" size="sm">
                    {j.id}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {jobs.data && jobs.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No jobs.
        </Text>
      )}
    </Stack>
  );
}
