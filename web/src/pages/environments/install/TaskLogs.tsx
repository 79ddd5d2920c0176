import { Accordion, Badge, Button, Code, Group, Paper, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../../../api/client';
import type { InstallTask } from '../../../api/types';
import { ErrorNote } from '../../../components/ErrorNote';
import { MOVING, STEP_COLOR } from './status';

const PAGE = 20;

/**
 * Every step's full output in the order recorded, a page at a time. While the task moves, the
 * pages loaded so far are asked again, so output appears as the runner reports it and a page that
 * filled up offers the next one.
 */
export function TaskLogs({ task: t, hostName }: { task: InstallTask; hostName: (id: string) => string }) {
  const logs = useInfiniteQuery({
    // A new status means output the last poll may have missed (the one that ended the task).
    queryKey: ['install-task', t.environment_id, t.id, 'logs', t.status],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/environments/{id}/install/tasks/{task_id}/logs', {
          params: {
            path: { id: t.environment_id, task_id: t.id },
            query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: MOVING.has(t.status) ? 3000 : false,
    placeholderData: (previous) => previous,
  });
  const entries = logs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-label="Logs">
      <Title order={2} size="h4" mb="xs">
        Logs
      </Title>
      {entries.length === 0 && (
        <Text size="sm" c="dimmed">
          No step has reported yet.
        </Text>
      )}
      <Accordion variant="contained" chevronPosition="left">
        {entries.map((e) => (
          <Accordion.Item key={e.id} value={e.id}>
            <Accordion.Control>
              <Group gap="xs" wrap="wrap">
                <Text size="sm" fw={500}>
                  {e.host_id ? hostName(e.host_id) : 'task'} · {e.step}
                </Text>
                <Badge
                  size="sm"
                  variant="filled"
                  color={STEP_COLOR[e.status as keyof typeof STEP_COLOR] ?? 'gray'}
                >
                  {e.status}
                </Badge>
                {e.attempt > 1 && <Text size="xs">attempt {e.attempt}</Text>}
                {e.error_code && (
                  <Text size="xs" c="red.8">
                    {e.error_code}
                  </Text>
                )}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {e.output ? (
                // Focusable: long output scrolls, and a keyboard must reach it.
                <Code block tabIndex={0}>
                  {e.output}
                </Code>
              ) : (
                <Text size="sm" c="dimmed">
                  No output.
                </Text>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {logs.hasNextPage && (
        <Button
          mt="sm"
          variant="default"
          onClick={() => logs.fetchNextPage()}
          loading={logs.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
      <ErrorNote error={logs.error} title="Logs not loaded" />
    </Paper>
  );
}
