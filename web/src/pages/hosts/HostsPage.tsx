import {
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { Host } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { ConnectionTestCell, useConnectionTests, useSettledTests } from '../../components/ConnectionTest';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { RunnerPoolSelect } from '../../components/RunnerPoolSelect';

const SSH_KINDS = ['ssh_private_key', 'ssh_password'];

export default function HostsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project_id');
  const tests = useConnectionTests((id) =>
    ok(api.POST('/hosts/{id}/test-connection', { params: { path: { id } } })),
  );
  const hosts = useQuery({
    queryKey: ['hosts', projectId],
    queryFn: () => ok(api.GET('/hosts', { params: { query: { project_id: projectId ?? undefined } } })),
    refetchInterval: tests.polling ? 1500 : false,
  });
  useSettledTests(tests, hosts.data?.items);
  const credentials = useQuery({
    queryKey: ['credentials', null],
    queryFn: () => ok(api.GET('/credentials', { params: { query: {} } })),
    enabled: can(me.data, 'credential:read_meta'),
  });
  const credentialName = (id: string) => credentials.data?.items.find((c) => c.id === id)?.name ?? id;
  const hostName = (id: string) => hosts.data?.items.find((h) => h.id === id)?.name ?? id;
  const [resetting, setResetting] = useState<Host | null>(null);

  return (
    <Stack>
      <PageTitle>Hosts</PageTitle>
      <Group>
        <ProjectSelect
          label="Filter by project"
          clearable
          value={projectId}
          onChange={(v) => setParams(v ? { project_id: v } : {}, { replace: true })}
        />
      </Group>
      <ErrorNote error={hosts.error} />
      <Table.ScrollContainer minWidth={960} type="native" tabIndex={0} aria-label="Hosts list">
        <Table striped aria-label="Hosts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Login</Table.Th>
              <Table.Th>Credential</Table.Th>
              <Table.Th>Host key</Table.Th>
              <Table.Th>Connection</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(hosts.data?.items ?? []).map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>{h.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {h.username}@{h.address}:{h.port}
                  </Text>
                  {h.jump_host_id && (
                    <Text size="xs" c="dimmed">
                      via jump host {hostName(h.jump_host_id)}
                    </Text>
                  )}
                  {!h.runner_pool_id && (
                    <Text size="xs" c="dimmed">
                      no runner pool
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{credentialName(h.credential_id)}</Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {h.host_key_fingerprint ? (
                      <>
                        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                          {h.host_key_fingerprint}
                        </Text>
                        <Text size="xs" c="dimmed">
                          pinned {h.host_key_pinned_at && new Date(h.host_key_pinned_at).toLocaleString()}
                        </Text>
                      </>
                    ) : (
                      <Text size="xs" c="dimmed">
                        not pinned yet: the first connection pins it
                      </Text>
                    )}
                    {can(me.data, 'host:write', h.project_id) ? (
                      h.host_key_fingerprint && (
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          aria-label={`Reset host key of ${h.name}`}
                          onClick={() => setResetting(h)}
                        >
                          Reset host key
                        </Button>
                      )
                    ) : (
                      <Text size="xs" c="dimmed">
                        Resetting needs host:write.
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <ConnectionTestCell
                    id={h.id}
                    name={h.name}
                    lastTest={h.last_test}
                    tests={tests}
                    nameOf={hostName}
                    allowed={can(me.data, 'credential:test', h.project_id)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hosts.data?.items.length === 0 && <Text c="dimmed">No hosts yet.</Text>}
      {can(me.data, 'host:write') ? (
        <AddHost
          projectId={projectId}
          credentials={(credentials.data?.items ?? []).filter((c) => SSH_KINDS.includes(c.kind))}
          hosts={hosts.data?.items ?? []}
          onAdded={() => queries.invalidateQueries({ queryKey: ['hosts'] })}
        />
      ) : (
        <Text size="sm" c="dimmed">
          Adding hosts needs host:write.
        </Text>
      )}
      <ResetHostKey host={resetting} onClose={() => setResetting(null)} />
    </Stack>
  );
}

function AddHost(props: {
  projectId: string | null;
  credentials: { id: string; name: string; project_id: string; kind: string }[];
  hosts: Host[];
  onAdded: () => void;
}) {
  const empty = {
    name: '',
    address: '',
    port: 22 as number | string,
    username: '',
    credential: null,
    jump: null,
  };
  const [form, setForm] = useState<{
    project: string | null;
    name: string;
    address: string;
    port: number | string;
    username: string;
    credential: string | null;
    pool: string | null;
    jump: string | null;
  }>({ project: props.projectId, pool: null, ...empty });
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/hosts', {
          body: {
            project_id: form.project ?? '',
            name: form.name,
            address: form.address,
            port: Number(form.port),
            username: form.username,
            credential_id: form.credential ?? '',
            runner_pool_id: form.pool,
            jump_host_id: form.jump,
          },
        }),
      ),
    onSuccess: () => {
      setForm({ ...form, ...empty });
      props.onAdded();
    },
  });
  const err = (path: string) => fieldError(create.error, path);
  return (
    <Paper withBorder p="md" component="section" aria-label="Add a host">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            Add a host
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <ProjectSelect
              value={form.project}
              onChange={(v) => setForm({ ...form, project: v, credential: null, pool: null, jump: null })}
              error={err('project_id')}
            />
            <TextInput
              label="Host name"
              description="lowercase letters, digits and '-'"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={err('name')}
            />
            <TextInput
              label="Address"
              description="DNS name or IP address"
              placeholder="host.example.invalid"
              value={form.address}
              onChange={(e) => setForm({ ...form, address: e.currentTarget.value })}
              error={err('address')}
            />
            <NumberInput
              label="Port"
              min={1}
              max={65535}
              allowDecimal={false}
              value={form.port}
              onChange={(v) => setForm({ ...form, port: v })}
              error={err('port')}
            />
            <TextInput
              label="User"
              placeholder="deploy"
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
              error={err('username')}
            />
            <Select
              label="Credential"
              placeholder={form.project ? 'An SSH key or password of the project' : 'Choose a project first'}
              data={props.credentials
                .filter((c) => c.project_id === form.project)
                .map((c) => ({ value: c.id, label: c.name }))}
              value={form.credential}
              onChange={(v) => setForm({ ...form, credential: v })}
              error={err('credential_id')}
            />
            <RunnerPoolSelect
              projectId={form.project}
              value={form.pool}
              onChange={(v) => setForm({ ...form, pool: v })}
              error={err('runner_pool_id')}
              description="where connection tests and deployments to this host run"
            />
            <Select
              label="Jump host"
              clearable
              placeholder="None: the runner connects directly"
              description="a host of the project with a pinned key that has no jump host itself (one hop)"
              data={props.hosts
                .filter((h) => h.project_id === form.project && h.host_key_fingerprint && !h.jump_host_id)
                .map((h) => ({ value: h.id, label: h.name }))}
              value={form.jump}
              onChange={(v) => setForm({ ...form, jump: v })}
              error={err('jump_host_id')}
            />
          </SimpleGrid>
          <ErrorNote error={create.error} title="Not added" />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add host
            </Button>
            {create.isSuccess && (
              <Text size="sm" role="status">
                Added {create.data.name}.
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A reset trusts whatever key the host shows next, so it asks first. */
function ResetHostKey(props: { host: Host | null; onClose: () => void }) {
  const h = props.host;
  const queries = useQueryClient();
  const reset = useMutation({
    mutationFn: () => ok(api.POST('/hosts/{id}/host-key/reset', { params: { path: { id: h!.id } } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['hosts'] });
      close();
    },
  });
  const close = () => {
    reset.reset();
    props.onClose();
  };
  return (
    <Modal opened={h !== null} onClose={close} title={h ? `Reset the host key of ${h.name}?` : ''}>
      {h && (
        <Stack>
          <Text size="sm">
            The pinned key{' '}
            <Text span ff="monospace">
              {h.host_key_fingerprint}
            </Text>{' '}
            is forgotten, and the next connection trusts and pins whatever key the host then shows. Do this
            only when you know the host was rebuilt or its key changed.
          </Text>
          <ErrorNote error={reset.error} title="Not reset" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={reset.isPending} onClick={() => reset.mutate()}>
              Reset host key
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
