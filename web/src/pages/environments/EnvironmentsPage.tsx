import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { TableScroll } from '../../components/TableScroll';

const TIER_COLOR = { development: 'teal', staging: 'indigo', production: 'red' } as const;
type Tier = keyof typeof TIER_COLOR;

export default function EnvironmentsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project_id');
  const environments = useQuery({
    queryKey: ['environments', projectId],
    queryFn: () =>
      ok(api.GET('/environments', { params: { query: { project_id: projectId ?? undefined } } })),
  });
  const pools = useQuery({ queryKey: ['runner-pools'], queryFn: () => ok(api.GET('/runner-pools', {})) });
  const [form, setForm] = useState<{ project: string | null; name: string; tier: Tier; pool: string | null }>(
    {
      project: projectId,
      name: '',
      tier: 'development',
      pool: null,
    },
  );
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/environments', {
          body: {
            project_id: form.project ?? '',
            name: form.name,
            tier: form.tier,
            runner_pool_id: form.pool,
          },
        }),
      ),
    onSuccess: () => {
      setForm({ ...form, name: '' });
      void queries.invalidateQueries({ queryKey: ['environments'] });
    },
  });
  return (
    <Stack>
      <PageTitle>Environments</PageTitle>
      <Group>
        <ProjectSelect
          label="Filter by project"
          clearable
          value={projectId}
          onChange={(v) => setParams(v ? { project_id: v } : {}, { replace: true })}
        />
      </Group>
      <TableScroll label="Environments" minWidth={480}>
        <Table striped aria-label="Environments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Tier</Table.Th>
              <Table.Th>Runner pool</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(environments.data?.items ?? []).map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/environments/${e.id}`}>
                    {e.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={TIER_COLOR[e.tier]} variant="outline">
                    {e.tier}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  {e.runner_pool_id ?? <Text c="dimmed">none: jobs wait</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {can(me.data, 'environment:write', form.project) && (
        <Paper withBorder p="md" maw={560} component="section" aria-label="New environment">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Stack>
              <Title order={2} size="h4">
                New environment
              </Title>
              <ProjectSelect
                value={form.project}
                onChange={(v) => setForm({ ...form, project: v })}
                error={fieldError(create.error, 'project_id')}
              />
              <TextInput
                label="Environment name"
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={fieldError(create.error, 'name')}
              />
              <Select
                label="Tier"
                data={['development', 'staging', 'production']}
                value={form.tier}
                onChange={(v) => setForm({ ...form, tier: (v as Tier) ?? 'development' })}
                allowDeselect={false}
              />
              <Select
                label="Runner pool"
                placeholder="None yet (jobs wait until one is bound)"
                clearable
                data={(pools.data?.items ?? [])
                  .filter((p) => p.project_id === null || p.project_id === form.project)
                  .map((p) => ({ value: p.id, label: p.name }))}
                value={form.pool}
                onChange={(v) => setForm({ ...form, pool: v })}
                error={fieldError(create.error, 'runner_pool_id')}
              />
              <ErrorNote error={create.error} title="Not created" />
              <Group>
                <Button type="submit" loading={create.isPending}>
                  Create environment
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
