import { Button, Grid, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { Credential } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { KIND_OPTIONS, KINDS, type Kind, payloadOf } from './kinds';
import { Example, PayloadFields } from './PayloadFields';
import { RevealCell, type Revealed, RevealModal, useMyRevealTickets } from './Reveal';
import { RotateModal } from './RotateModal';

/** What the metadata says that helps tell credentials apart: never material. */
function details(c: Credential): string {
  const m = c.metadata as Record<string, unknown>;
  const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : null);
  return [
    str('key_type'),
    c.fingerprint,
    str('server'),
    str('subject'),
    str('not_after') && `expires ${new Date(str('not_after')!).toLocaleDateString()}`,
    str('token_last4') && `ends …${str('token_last4')}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

const date = (s: string) => new Date(s).toLocaleString();

export default function CredentialsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project_id');
  const credentials = useQuery({
    queryKey: ['credentials', projectId],
    queryFn: () => ok(api.GET('/credentials', { params: { query: { project_id: projectId ?? undefined } } })),
  });
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const projectName = (id: string) => projects.data?.items.find((p) => p.id === id)?.name ?? id;
  const tickets = useMyRevealTickets(can(me.data, 'deploy:approval:read'));
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [rotating, setRotating] = useState<Credential | null>(null);

  const [form, setForm] = useState({ project: projectId, name: '', kind: 'ssh_private_key' as Kind });
  const [values, setValues] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/credentials', {
          body: {
            project_id: form.project ?? '',
            name: form.name,
            kind: form.kind,
            payload: payloadOf(form.kind, values),
          },
        }),
      ),
    onSuccess: () => {
      // The material leaves the page's memory as soon as the platform has it.
      setValues({});
      setForm({ ...form, name: '' });
      void queries.invalidateQueries({ queryKey: ['credentials'] });
    },
  });
  // In any project: the project select then lists where it applies and the API decides.
  const mayImport = can(me.data, 'credential:import');
  const kind = KINDS[form.kind];

  return (
    <Stack>
      <PageTitle>Credentials</PageTitle>
      <Group>
        <ProjectSelect
          label="Filter by project"
          clearable
          value={projectId}
          onChange={(v) => setParams(v ? { project_id: v } : {}, { replace: true })}
        />
      </Group>
      <ErrorNote error={credentials.error} />
      <Table.ScrollContainer minWidth={900} type="native" tabIndex={0} aria-label="Credentials list">
        <Table striped aria-label="Credentials">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Project</Table.Th>
              <Table.Th>Details</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Rotated</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(credentials.data?.items ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{KINDS[c.kind].label}</Table.Td>
                <Table.Td>{projectName(c.project_id)}</Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ wordBreak: 'break-all' }}>
                    {details(c)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{date(c.created_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.updated_at === c.created_at ? 'never' : date(c.updated_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={6} align="flex-start">
                    {can(me.data, 'credential:reveal', c.project_id) ? (
                      <RevealCell
                        credential={c}
                        latest={tickets.data?.find((t) => t.resource_id === c.id)}
                        onRevealed={setRevealed}
                      />
                    ) : (
                      <Text size="xs" c="dimmed">
                        Reveal needs credential:reveal.
                      </Text>
                    )}
                    {can(me.data, 'credential:import', c.project_id) ? (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Rotate ${c.name}`}
                        onClick={() => setRotating(c)}
                      >
                        Rotate
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed">
                        Rotating needs credential:import.
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {credentials.data?.items.length === 0 && <Text c="dimmed">No credentials yet.</Text>}

      {mayImport ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md" component="section" aria-label="Import a credential">
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  create.mutate();
                }}
              >
                <Stack>
                  <Title order={2} size="h4">
                    Import a credential
                  </Title>
                  <ProjectSelect
                    value={form.project}
                    onChange={(v) => setForm({ ...form, project: v })}
                    error={fieldError(create.error, 'project_id')}
                  />
                  <TextInput
                    label="Credential name"
                    description="lowercase letters, digits, '-' and '.'"
                    value={form.name}
                    onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                    error={fieldError(create.error, 'name')}
                  />
                  <Select
                    label="Kind"
                    data={KIND_OPTIONS}
                    value={form.kind}
                    allowDeselect={false}
                    onChange={(v) => {
                      setForm({ ...form, kind: (v as Kind | null) ?? form.kind });
                      setValues({});
                      create.reset();
                    }}
                    error={fieldError(create.error, 'kind')}
                  />
                  <PayloadFields
                    fields={kind.fields}
                    values={values}
                    onChange={setValues}
                    error={create.error}
                    prefix="payload."
                  />
                  <ErrorNote error={create.error} title="Not imported" />
                  <Group>
                    <Button type="submit" loading={create.isPending}>
                      Import credential
                    </Button>
                    {create.isSuccess && (
                      <Text size="sm" role="status">
                        Imported {create.data.name}.
                      </Text>
                    )}
                  </Group>
                </Stack>
              </form>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Example title={`Example: ${kind.label}`} hint={kind.hint} text={kind.example} />
          </Grid.Col>
        </Grid>
      ) : (
        <Text size="sm" c="dimmed">
          Importing credentials needs credential:import.
        </Text>
      )}
      <RotateModal credential={rotating} onClose={() => setRotating(null)} />
      <RevealModal revealed={revealed} onClose={() => setRevealed(null)} />
    </Stack>
  );
}
