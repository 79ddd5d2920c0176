import { Badge, Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { Pipeline, TriggerAttempt } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';

const COLOR: Record<TriggerAttempt['status'], string> = {
  succeeded: 'teal',
  failed: 'red',
  recorded: 'gray',
  pending: 'blue',
};

/** What an attempt came to, in words: the provider's answer, or why there was none. */
function outcome(a: TriggerAttempt): string {
  if (a.status === 'recorded') return 'recorded (no provider API and token set)';
  if (a.status === 'succeeded') return `started (the provider answered ${a.http_status})`;
  return a.error ?? a.status;
}

/** "Run now" for a manual pipeline: the provider's answer is shown as soon as it comes back. */
export function RunNow(props: { pipeline: Pipeline }) {
  const queries = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      ok(api.POST('/ci/pipelines/{id}/trigger', { params: { path: { id: props.pipeline.id } }, body: {} })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['builds', props.pipeline.service_id] }),
  });
  return (
    <Group gap={6} wrap="wrap">
      <Button
        size="xs"
        variant="light"
        loading={run.isPending}
        onClick={() => run.mutate()}
        aria-label={`Run now ${props.pipeline.repository}`}
      >
        Run now
      </Button>
      {run.data && (
        <Group gap={4} data-testid="trigger-result">
          <Badge color={COLOR[run.data.status]} variant="filled">
            {run.data.status}
          </Badge>
          <Text size="xs">{outcome(run.data)}</Text>
        </Group>
      )}
      <ErrorNote error={run.error} title="Not run" />
    </Group>
  );
}
