import {
  Anchor,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Loading } from '../../components/Loading';
import { TableScroll } from '../../components/TableScroll';
import { HealthBadge, useEnvironmentStatuses } from '../../components/TargetStatus';
import { InstallDrift } from './install/InstallDrift';
import { InstallTasks } from './install/InstallTasks';
import { InstallWizard } from './install/InstallWizard';
import { RunnerPoolBinding } from './RunnerPoolBinding';

type Runtime = 'compose' | 'k8s';

export default function EnvironmentPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const queries = useQueryClient();
  const env = useQuery({
    queryKey: ['environment', id],
    queryFn: () => ok(api.GET('/environments/{id}', { params: { path: { id } } })),
  });
  const projectId = env.data?.project_id;
  const statuses = useEnvironmentStatuses(id);
  const stateOf = new Map((statuses.data?.items ?? []).map((x) => [x.target_id, x.state]));
  const targets = useQuery({
    queryKey: ['targets', { environment: id }],
    queryFn: () => ok(api.GET('/deploy/targets', { params: { query: { environment_id: id } } })),
  });
  const hosts = useQuery({
    queryKey: ['hosts', projectId],
    queryFn: () => ok(api.GET('/hosts', { params: { query: { project_id: projectId } } })),
    enabled: Boolean(projectId),
  });
  const clusters = useQuery({
    queryKey: ['clusters', projectId],
    queryFn: () => ok(api.GET('/clusters', { params: { query: { project_id: projectId } } })),
    enabled: Boolean(projectId),
  });
  const [runtime, setRuntime] = useState<Runtime>('compose');
  const [form, setForm] = useState({
    name: '',
    hostIds: [] as string[],
    project: '',
    cluster: '',
    namespace: '',
  });
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/deploy/targets', {
          body: {
            project_id: projectId!,
            environment_id: id,
            name: form.name,
            runtime_type: runtime,
            ...(runtime === 'compose'
              ? { host_ids: form.hostIds, compose_project: form.project }
              : { cluster_id: form.cluster, namespace: form.namespace }),
          },
        }),
      ),
    onSuccess: () => {
      setForm({ name: '', hostIds: [], project: '', cluster: '', namespace: '' });
      void queries.invalidateQueries({ queryKey: ['targets'] });
    },
  });
  if (env.isPending) return <Loading />;
  const e = env.data;
  if (!e) return <ErrorNote error={env.error} title="Environment not found" />;
  return (
    <Stack>
      <PageTitle>Environment {e.name}</PageTitle>
      <Group gap="xs">
        <Badge variant="outline">{e.tier}</Badge>
      </Group>
      <RunnerPoolBinding env={e} />
      <Title order={2} size="h4">
        Targets
      </Title>
      <TableScroll label="Targets" minWidth={520}>
        <Table striped aria-label="Targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Runtime</Table.Th>
              <Table.Th>Where</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(targets.data?.items ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/targets/${t.id}`}>
                    {t.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t.runtime_type}</Table.Td>
                <Table.Td>
                  {t.runtime_type === 'compose'
                    ? `${t.host_ids.length} host(s), project ${t.compose_project}`
                    : `cluster ${t.cluster_id}, namespace ${t.namespace}`}
                </Table.Td>
                <Table.Td>
                  <HealthBadge state={stateOf.get(t.id) ?? 'unknown'} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {can(me.data, 'target:write', projectId) && (
        <Paper withBorder p="md" maw={560} component="section" aria-label="New target">
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              create.mutate();
            }}
          >
            <Stack>
              <Title order={2} size="h4">
                New target
              </Title>
              <SegmentedControl
                aria-label="Target runtime"
                value={runtime}
                onChange={(v) => setRuntime(v as Runtime)}
                data={[
                  { value: 'compose', label: 'Compose hosts' },
                  { value: 'k8s', label: 'Kubernetes namespace' },
                ]}
              />
              <TextInput
                label="Target name"
                value={form.name}
                onChange={(ev) => setForm({ ...form, name: ev.currentTarget.value })}
                error={fieldError(create.error, 'name')}
              />
              {runtime === 'compose' ? (
                <>
                  <MultiSelect
                    label="Hosts"
                    data={(hosts.data?.items ?? []).map((h) => ({
                      value: h.id,
                      label: `${h.name} (${h.address})`,
                    }))}
                    value={form.hostIds}
                    onChange={(v) => setForm({ ...form, hostIds: v })}
                    error={fieldError(create.error, 'host_ids')}
                  />
                  <TextInput
                    label="Compose project"
                    description="used as the compose project name (-p) on every host"
                    value={form.project}
                    onChange={(ev) => setForm({ ...form, project: ev.currentTarget.value })}
                    error={fieldError(create.error, 'compose_project')}
                  />
                </>
              ) : (
                <>
                  <Select
                    label="Cluster"
                    data={(clusters.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                    value={form.cluster || null}
                    onChange={(v) => setForm({ ...form, cluster: v ?? '' })}
                    error={fieldError(create.error, 'cluster_id')}
                  />
                  <TextInput
                    label="Namespace"
                    value={form.namespace}
                    onChange={(ev) => setForm({ ...form, namespace: ev.currentTarget.value })}
                    error={fieldError(create.error, 'namespace')}
                  />
                </>
              )}
              <ErrorNote error={create.error} title="Not created" />
              <Group>
                <Button type="submit" loading={create.isPending}>
                  Create target
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      <Title order={2} size="h4">
        Installs
      </Title>
      <InstallTasks environmentId={e.id} />
      {can(me.data, 'environment:install', projectId) ? (
        <>
          <InstallDrift
            environmentId={e.id}
            hostName={(h) => hosts.data?.items.find((x) => x.id === h)?.name ?? h}
          />
          <InstallWizard environmentId={e.id} projectId={e.project_id} tier={e.tier} />
        </>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            Verifying installs (drift): missing permission environment:install
          </Text>
          <Text size="sm" c="dimmed">
            Installing a runtime: missing permission environment:install
          </Text>
        </>
      )}
    </Stack>
  );
}
