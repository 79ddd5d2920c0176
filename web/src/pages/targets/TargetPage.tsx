import { Anchor, Code, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useHostNames } from '../../api/lists';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { Loading } from '../../components/Loading';
import { StateBadge } from '../../components/ReleaseBits';
import { TableScroll } from '../../components/TableScroll';
import { TargetStatusSection } from '../../components/TargetStatus';

export default function TargetPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const target = useQuery({
    queryKey: ['target', id],
    queryFn: () => ok(api.GET('/deploy/targets/{id}', { params: { path: { id } } })),
  });
  const releases = useQuery({
    queryKey: ['releases', { target: id }],
    queryFn: () => ok(api.GET('/deploy/releases', { params: { query: { target_id: id } } })),
  });
  const projectId = target.data?.project_id;
  // Names for the status's hosts; without host:read the ids are shown instead.
  const hostNames = useHostNames(projectId, target.data?.runtime_type === 'compose');
  if (target.isPending) return <Loading />;
  const t = target.data;
  if (!t) return <ErrorNote error={target.error} title="Target not found" />;
  return (
    <Stack>
      <PageTitle>Target {t.name}</PageTitle>
      <Paper withBorder p="md" component="section" aria-label="Where it deploys">
        <Text size="sm">
          {t.runtime_type === 'compose' ? (
            <>
              Compose project <Code>{t.compose_project}</Code> on {t.host_ids.length} host(s)
            </>
          ) : (
            <>
              Namespace <Code>{t.namespace}</Code> of cluster <Code>{t.cluster_id}</Code>
            </>
          )}
        </Text>
        <Text size="sm">
          Running now:{' '}
          {t.applied_release_id ? (
            <Anchor component={Link} to={`/releases/${t.applied_release_id}`}>
              {t.applied_release_id}
            </Anchor>
          ) : (
            'nothing yet'
          )}
        </Text>
      </Paper>
      <TargetStatusSection
        targetId={t.id}
        canRefresh={can(me.data, 'target:write', t.project_id)}
        hostNames={hostNames}
      />
      <TableScroll label="Releases on this target" minWidth={520}>
        <Table striped aria-label="Releases on this target">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Release</Table.Th>
              <Table.Th>State</Table.Th>
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
                  <StateBadge state={r.lifecycle_state} />
                </Table.Td>
                <Table.Td>{new Date(r.created_at).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
