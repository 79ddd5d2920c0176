import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Loading } from '../../components/Loading';
import { Missing } from '../../components/Missing';
import { ProjectSelect } from '../../components/ProjectSelect';
import { PoolSection } from './PoolSection';

/** Heartbeats move `online` and `last_seen_at`; the page follows them without a reload. */
const REFRESH_MS = 10_000;

export default function RunnersPage() {
  const me = useMe();
  const pools = useQuery({
    queryKey: ['runner-pools'],
    queryFn: () => ok(api.GET('/runner-pools', { params: { query: { limit: 200 } } })),
  });
  const runners = useQuery({
    queryKey: ['runners'],
    queryFn: () => ok(api.GET('/runners', { params: { query: { limit: 200 } } })),
    refetchInterval: REFRESH_MS,
  });
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const projectName = (id: string | null) =>
    id === null ? 'all projects' : (projects.data?.items.find((p) => p.id === id)?.name ?? id);
  return (
    <Stack>
      <PageTitle>Runners</PageTitle>
      <ErrorNote error={pools.error ?? runners.error} />
      {pools.isPending ? (
        <Loading />
      ) : (pools.data?.items ?? []).length === 0 ? (
        <Text c="dimmed">No runner pool yet.</Text>
      ) : (
        (pools.data?.items ?? []).map((p) => (
          <PoolSection
            key={p.id}
            pool={p}
            projectName={projectName(p.project_id)}
            runners={(runners.data?.items ?? []).filter((r) => r.runner_pool_id === p.id)}
            mayAdmin={can(me.data, 'runner:admin', p.project_id)}
          />
        ))
      )}
      <NewPool mayAdmin={can(me.data, 'runner:admin')} />
    </Stack>
  );
}

function NewPool({ mayAdmin }: { mayAdmin: boolean }) {
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [project, setProject] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      ok(api.POST('/runner-pools', { body: { name, ...(project ? { project_id: project } : {}) } })),
    onSuccess: () => {
      setName('');
      void queries.invalidateQueries({ queryKey: ['runner-pools'] });
    },
  });
  if (!mayAdmin) return <Missing what="create pools or registration tokens" permission="runner:admin" />;
  return (
    <Paper withBorder p="md" maw={560} component="section" aria-label="New runner pool">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            New runner pool
          </Title>
          <TextInput
            label="Pool name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
            required
          />
          <ProjectSelect
            label="Project (empty: every project may use it)"
            clearable
            value={project}
            onChange={setProject}
            error={fieldError(create.error, 'project_id')}
          />
          <ErrorNote
            error={create.error && !fieldError(create.error, 'name') ? create.error : null}
            title="Not created"
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create pool
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
