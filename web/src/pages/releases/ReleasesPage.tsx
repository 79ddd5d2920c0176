import { Anchor, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { deployTargetsQuery, environmentsQuery, servicesQuery } from '../../api/lists';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { RiskBadge, StateBadge } from '../../components/ReleaseBits';
import { TableScroll } from '../../components/TableScroll';

const STATUSES = [
  'preview',
  'pending_approval',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'rolled_back',
];

export default function ReleasesPage() {
  const [params, setParams] = useSearchParams();
  const filter = (k: string) => params.get(k) ?? undefined;
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const services = useQuery(servicesQuery());
  const environments = useQuery(environmentsQuery());
  const targets = useQuery(deployTargetsQuery());
  const serviceName = (id: string) => services.data?.items.find((s) => s.id === id)?.name ?? id;
  const targetName = (id: string) => targets.data?.items.find((t) => t.id === id)?.name ?? id;
  const query = {
    runtime_type: filter('runtime_type') as 'k8s' | 'compose' | undefined,
    service_id: filter('service_id'),
    environment_id: filter('environment_id'),
    status: filter('status'),
  };
  const releases = useQuery({
    queryKey: ['releases', query],
    queryFn: () => ok(api.GET('/deploy/releases', { params: { query: query as never } })),
  });
  return (
    <Stack>
      <PageTitle>Releases</PageTitle>
      <Group>
        <Select
          label="Runtime"
          clearable
          data={[
            { value: 'k8s', label: 'Kubernetes' },
            { value: 'compose', label: 'Compose' },
          ]}
          value={query.runtime_type ?? null}
          onChange={(v) => set('runtime_type', v)}
        />
        <Select
          label="Service"
          clearable
          data={(services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={query.service_id ?? null}
          onChange={(v) => set('service_id', v)}
        />
        <Select
          label="Environment"
          clearable
          data={(environments.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
          value={query.environment_id ?? null}
          onChange={(v) => set('environment_id', v)}
        />
        <Select
          label="Status"
          clearable
          data={STATUSES}
          value={query.status ?? null}
          onChange={(v) => set('status', v)}
        />
      </Group>
      <ErrorNote error={releases.error} />
      <TableScroll label="Releases" minWidth={720}>
        <Table striped highlightOnHover aria-label="Releases">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Release</Table.Th>
              <Table.Th>Service on target</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Runtime</Table.Th>
              <Table.Th>Risk</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(releases.data?.items ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/releases/${r.id}`}>
                    {r.id}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {serviceName(r.service_id)} on {targetName(r.target_id)}
                </Table.Td>
                <Table.Td>
                  <StateBadge state={r.lifecycle_state} />
                </Table.Td>
                <Table.Td>{r.runtime_type}</Table.Td>
                <Table.Td>
                  <RiskBadge level={r.risk_level} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{new Date(r.created_at).toLocaleString()}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
