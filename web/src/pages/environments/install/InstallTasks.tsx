import { Anchor, Badge, Box, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { MOVING, STATUS_COLOR } from './status';

/** The environment's install tasks, newest first; refreshed while one of them moves. */
export function InstallTasks({ environmentId }: { environmentId: string }) {
  const tasks = useQuery({
    queryKey: ['install-tasks', environmentId],
    queryFn: () =>
      ok(
        api.GET('/environments/{id}/install/tasks', {
          params: { path: { id: environmentId }, query: { limit: 20 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.items.some((t) => MOVING.has(t.status)) ? 3000 : false),
  });
  const items = tasks.data?.items ?? [];
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No install tasks yet.
      </Text>
    );
  return (
    // Scrolls sideways on a phone; focusable so a keyboard can scroll it too.
    <Box style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Install tasks list">
      <Table striped aria-label="Install tasks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Task</Table.Th>
            <Table.Th>Hosts</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Started</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                {/* What it does names the link: task ids mean nothing to people. */}
                <Anchor component={Link} to={`/environments/${environmentId}/install/${t.id}`}>
                  {t.action} {t.runtime} {t.version}
                </Anchor>
              </Table.Td>
              <Table.Td>{t.host_ids.length}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[t.status]} variant="filled">
                  {t.status.replace('_', ' ')}
                </Badge>
              </Table.Td>
              <Table.Td>{new Date(t.created_at).toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
