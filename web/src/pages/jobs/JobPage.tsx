import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useHostNames } from '../../api/lists';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { JobSteps } from '../../components/JobSteps';
import { Loading } from '../../components/Loading';
import { STATUS_COLOR, waitingText } from './waiting';

const POLL_MS = 2000;

export default function JobPage() {
  const { id = '' } = useParams();
  const job = useQuery({
    queryKey: ['job', id],
    queryFn: () => ok(api.GET('/jobs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) =>
      q.state.data && ['queued', 'running'].includes(q.state.data.status) ? POLL_MS : false,
  });
  const hostNames = useHostNames(job.data?.project_id ?? undefined);
  if (job.isPending) return <Loading />;
  const j = job.data;
  if (!j) return <ErrorNote error={job.error} title="Job not found" />;
  const waiting = waitingText(j);
  return (
    <Stack>
      <div>
        <PageTitle>Job {j.id}</PageTitle>
        <Group gap="xs">
          <Badge color={STATUS_COLOR[j.status]} variant="filled">
            {j.status}
          </Badge>
          <Text size="sm">{j.kind}</Text>
          {j.error_code && (
            <Text size="sm" c="red.8">
              {j.error_code}
            </Text>
          )}
        </Group>
      </div>
      {waiting && (
        <Text fw={500} data-testid="waiting-reason">
          {waiting}
        </Text>
      )}
      <Paper withBorder p="md" component="section" aria-label="Details">
        <Title order={2} size="h4" mb="xs">
          Details
        </Title>
        <Text size="sm">
          For {j.resource_type}{' '}
          {j.resource_type === 'release' ? (
            <Anchor component={Link} to={`/releases/${j.resource_id}`}>
              {j.resource_id}
            </Anchor>
          ) : (
            j.resource_id
          )}
        </Text>
        <Text size="sm">Pool: {j.runner_pool_name ?? 'none'}</Text>
        <Text size="sm">Runner: {j.runner_id ?? 'none yet'}</Text>
        <Text size="sm">Attempts: {j.attempts}</Text>
        <Text size="sm">Created: {new Date(j.created_at).toLocaleString()}</Text>
        {j.finished_at && <Text size="sm">Finished: {new Date(j.finished_at).toLocaleString()}</Text>}
      </Paper>
      <Paper withBorder p="md" component="section" aria-label="Steps">
        <Title order={2} size="h4" mb="xs">
          Steps
        </Title>
        <JobSteps steps={j.steps} hostNames={hostNames} />
      </Paper>
    </Stack>
  );
}
