import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  SegmentedControl,
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
import { ConnectionTestCell, useConnectionTests, useSettledTests } from '../../components/ConnectionTest';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { RunnerPoolSelect } from '../../components/RunnerPoolSelect';
import { Example, PayloadFields } from '../credentials/PayloadFields';
import { EKS_HINT, MODES, type Mode, modeLabel } from './modes';

/** An EKS cluster: which cluster and region the runner mints its tokens for, and as which role. */
function EksNote({ metadata }: { metadata: Record<string, unknown> }) {
  const eks = metadata.eks as { cluster_name?: string; region?: string; role_arn?: string } | undefined;
  return (
    <Text size="xs" c="dimmed" title={EKS_HINT}>
      EKS {eks?.cluster_name} in {eks?.region}: token from the runner's AWS credentials
      {eks?.role_arn ? `, as role ${eks.role_arn}` : ''}
    </Text>
  );
}

export default function ClustersPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project_id');
  const tests = useConnectionTests((id) =>
    ok(api.POST('/clusters/{id}/test-connection', { params: { path: { id } } })),
  );
  const clusters = useQuery({
    queryKey: ['clusters', projectId],
    queryFn: () => ok(api.GET('/clusters', { params: { query: { project_id: projectId ?? undefined } } })),
    refetchInterval: tests.polling ? 1500 : false,
  });
  useSettledTests(tests, clusters.data?.items);

  return (
    <Stack>
      <PageTitle>Clusters</PageTitle>
      <Group>
        <ProjectSelect
          label="Filter by project"
          clearable
          value={projectId}
          onChange={(v) => setParams(v ? { project_id: v } : {}, { replace: true })}
        />
      </Group>
      <ErrorNote error={clusters.error} />
      <Table.ScrollContainer minWidth={900} type="native" tabIndex={0} aria-label="Clusters list">
        <Table striped aria-label="Clusters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>API server</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th>Warnings</Table.Th>
              <Table.Th>Connection</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(clusters.data?.items ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {c.server}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge variant="outline">{modeLabel(c.mode)}</Badge>
                    {c.cluster_source === 'platform_managed' && <Badge variant="light">installed here</Badge>}
                  </Group>
                  {c.mode === 'eks' && <EksNote metadata={c.metadata} />}
                  {c.cluster_source === 'platform_managed' && (
                    <Certificates
                      clusterId={c.id}
                      name={c.name}
                      metadata={c.metadata}
                      allowed={can(me.data, 'cluster:write', c.project_id)}
                    />
                  )}
                  {!c.runner_pool_id && (
                    <Text size="xs" c="dimmed">
                      no runner pool
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {c.warnings.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      none
                    </Text>
                  ) : (
                    c.warnings.map((w) => (
                      <Text key={w.path + w.message} size="xs" c="red.9">
                        {w.path}: {w.message}
                      </Text>
                    ))
                  )}
                </Table.Td>
                <Table.Td>
                  <ConnectionTestCell
                    id={c.id}
                    name={c.name}
                    lastTest={c.last_test}
                    tests={tests}
                    allowed={can(me.data, 'credential:test', c.project_id)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {clusters.data?.items.length === 0 && <Text c="dimmed">No clusters yet.</Text>}
      {can(me.data, 'cluster:write') && can(me.data, 'credential:import') ? (
        <ImportCluster
          projectId={projectId}
          onImported={() => {
            void queries.invalidateQueries({ queryKey: ['clusters'] });
            void queries.invalidateQueries({ queryKey: ['credentials'] });
          }}
        />
      ) : (
        <Text size="sm" c="dimmed">
          Importing a cluster needs cluster:write and credential:import.
        </Text>
      )}
    </Stack>
  );
}

const DAY_MS = 86_400_000;

/**
 * A platform-managed cluster's certificates: when admin.conf's expires (as kubeadm last reported
 * it) and "Renew", which queues a renewal task on its control plane and links to it.
 */
function Certificates(props: {
  clusterId: string;
  name: string;
  metadata: Record<string, unknown>;
  allowed: boolean;
}) {
  const renew = useMutation({
    mutationFn: () =>
      ok(api.POST('/clusters/{id}/certificates/renew', { params: { path: { id: props.clusterId } } })),
  });
  const at = typeof props.metadata.cert_expires_at === 'string' ? props.metadata.cert_expires_at : null;
  const days = at ? Math.floor((Date.parse(at) - Date.now()) / DAY_MS) : null;
  return (
    <Stack gap={2} mt={4} component="section" aria-label={`Certificates of ${props.name}`}>
      <Text size="xs" c={days !== null && days <= 30 ? 'red.9' : 'dimmed'} data-testid="cert-expiry">
        {at ? `certificates expire ${at.slice(0, 10)} (in ${days} days)` : 'certificate expiry not known'}
      </Text>
      {props.allowed ? (
        renew.data ? (
          <Text size="xs">
            Renewal queued:{' '}
            <Anchor
              underline="always"
              component={Link}
              to={`/environments/${renew.data.environment_id}/install/${renew.data.task_id}`}
            >
              task {renew.data.task_id}
            </Anchor>
          </Text>
        ) : (
          <Button
            size="compact-xs"
            variant="outline"
            w="fit-content"
            loading={renew.isPending}
            onClick={() => renew.mutate()}
            aria-label={`Renew the certificates of ${props.name}`}
          >
            Renew
          </Button>
        )
      ) : (
        <Text size="xs" c="dimmed">
          Renewing needs cluster:write.
        </Text>
      )}
      <ErrorNote error={renew.error} title="Renewal not started" />
    </Stack>
  );
}

function ImportCluster(props: { projectId: string | null; onImported: () => void }) {
  const [mode, setMode] = useState<Mode>('kubeconfig');
  const [form, setForm] = useState({ project: props.projectId, name: '', pool: null as string | null });
  const [values, setValues] = useState<Record<string, string>>({});
  const spec = MODES[mode];
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/clusters/import', {
          body: {
            project_id: form.project ?? '',
            name: form.name,
            runner_pool_id: form.pool,
            mode,
            // Fields left empty are left out, so the API names what is missing.
            ...Object.fromEntries(
              spec.fields.filter((f) => values[f.name]).map((f) => [f.name, values[f.name]]),
            ),
          },
        }),
      ),
    onSuccess: () => {
      setValues({});
      setForm({ ...form, name: '' });
      props.onImported();
    },
  });
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md" component="section" aria-label="Import a cluster">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Stack>
              <Title order={2} size="h4">
                Import a cluster
              </Title>
              <ProjectSelect
                value={form.project}
                onChange={(v) => setForm({ ...form, project: v, pool: null })}
                error={fieldError(create.error, 'project_id')}
              />
              <TextInput
                label="Cluster name"
                description="lowercase letters, digits and '-'"
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={fieldError(create.error, 'name')}
              />
              <RunnerPoolSelect
                projectId={form.project}
                value={form.pool}
                onChange={(v) => setForm({ ...form, pool: v })}
                error={fieldError(create.error, 'runner_pool_id')}
                description="where connection tests and deployments to this cluster run"
              />
              <SegmentedControl
                aria-label="Import by"
                value={mode}
                onChange={(v) => {
                  setMode(v as Mode);
                  setValues({});
                  create.reset();
                }}
                data={(Object.keys(MODES) as Mode[]).map((m) => ({ value: m, label: MODES[m].label }))}
              />
              <PayloadFields fields={spec.fields} values={values} onChange={setValues} error={create.error} />
              <ErrorNote error={create.error} title="Not imported" />
              <Group>
                <Button type="submit" loading={create.isPending}>
                  Import cluster
                </Button>
                {create.isSuccess && (
                  <Text size="sm" role="status">
                    Imported {create.data.name}
                    {create.data.warnings.length ? ', with warnings: see the list.' : '.'}
                  </Text>
                )}
              </Group>
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Example title={`Example: ${spec.label}`} hint={spec.hint} text={spec.example} />
      </Grid.Col>
    </Grid>
  );
}
