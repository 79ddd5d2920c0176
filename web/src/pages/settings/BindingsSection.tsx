import { Button, Group, Paper, Select, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Missing } from '../../components/Missing';
import { ProjectSelect } from '../../components/ProjectSelect';
import { TableScroll } from '../../components/TableScroll';

/** Who holds which role where: a binding without a project holds in every project. */
export function BindingsSection({ isAdmin }: { isAdmin: boolean }) {
  const queries = useQueryClient();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const bindings = useQuery({
    queryKey: ['role-bindings'],
    queryFn: () => ok(api.GET('/role-bindings', { params: { query: { limit: 200 } } })),
    enabled: isAdmin,
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => ok(api.GET('/users', { params: { query: { limit: 200 } } })),
    enabled: isAdmin,
  });
  const roles = useQuery({
    queryKey: ['roles'],
    queryFn: () => ok(api.GET('/roles', { params: { query: { limit: 200 } } })),
    enabled: isAdmin,
  });
  const [form, setForm] = useState<{ username: string | null; role: string | null; project: string | null }>({
    username: null,
    role: null,
    project: null,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['role-bindings'] });
  const grant = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/role-bindings', {
          body: {
            username: form.username ?? '',
            role: form.role ?? '',
            ...(form.project ? { project_id: form.project } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setForm({ username: null, role: null, project: null });
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/role-bindings/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const projectName = (id: string | null) =>
    id === null ? 'all projects' : (projects.data?.items.find((p) => p.id === id)?.name ?? id);
  return (
    <Paper withBorder p="md" component="section" aria-label="Role bindings">
      <Stack>
        <Title order={2} size="h4">
          Role bindings
        </Title>
        {!isAdmin && <Missing what="see or change role bindings" permission="rbac:admin" />}
        <ErrorNote error={bindings.error ?? revoke.error} />
        {isAdmin && (
          <TableScroll label="Role bindings" minWidth={520}>
            <Table aria-label="Role bindings">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(bindings.data?.items ?? []).map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Td>{b.username}</Table.Td>
                    <Table.Td>{b.role}</Table.Td>
                    <Table.Td>{projectName(b.project_id)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        color="red"
                        variant="outline"
                        aria-label={`Revoke ${b.role} of ${b.username} in ${projectName(b.project_id)}`}
                        onClick={() => revoke.mutate(b.id)}
                      >
                        Revoke
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
        <form
          aria-label="Grant a role"
          onSubmit={(e) => {
            e.preventDefault();
            grant.mutate();
          }}
        >
          <Stack maw={560}>
            <Title order={3} size="h5">
              Grant a role
            </Title>
            <Select
              label="User"
              searchable
              data={(users.data?.items ?? []).filter((u) => !u.disabled).map((u) => u.username)}
              value={form.username}
              onChange={(v) => setForm({ ...form, username: v })}
              error={fieldError(grant.error, 'username')}
              disabled={!isAdmin}
            />
            <Select
              label="Role"
              data={(roles.data?.items ?? []).map((r) => r.name)}
              value={form.role}
              onChange={(v) => setForm({ ...form, role: v })}
              error={fieldError(grant.error, 'role')}
              disabled={!isAdmin}
            />
            <ProjectSelect
              label="In project (empty: all projects)"
              clearable
              value={form.project}
              onChange={(v) => setForm({ ...form, project: v })}
              error={fieldError(grant.error, 'project_id')}
              disabled={!isAdmin}
            />
            <ErrorNote error={grant.error} title="Not granted" />
            <Group>
              <Button
                type="submit"
                loading={grant.isPending}
                disabled={!isAdmin || !form.username || !form.role}
              >
                Grant role
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
