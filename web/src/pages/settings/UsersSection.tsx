import {
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useMe } from '../../api/me';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Missing } from '../../components/Missing';
import { TableScroll } from '../../components/TableScroll';

/** Users and their state; creating and disabling them takes rbac:admin in every project. */
export function UsersSection({ isAdmin }: { isAdmin: boolean }) {
  const me = useMe();
  const queries = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => ok(api.GET('/users', { params: { query: { limit: 200 } } })),
    enabled: isAdmin,
  });
  const [form, setForm] = useState({ username: '', password: '' });
  const create = useMutation({
    mutationFn: () => ok(api.POST('/users', { body: form })),
    onSuccess: () => {
      setForm({ username: '', password: '' });
      void queries.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const setDisabled = useMutation({
    mutationFn: (v: { id: string; disabled: boolean }) =>
      ok(api.PATCH('/users/{id}', { params: { path: { id: v.id } }, body: { disabled: v.disabled } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Users">
      <Stack>
        <Title order={2} size="h4">
          Users
        </Title>
        {!isAdmin && <Missing what="see or manage users" permission="rbac:admin" />}
        <ErrorNote error={users.error ?? setDisabled.error} />
        {isAdmin && (
          <TableScroll label="Users" minWidth={360}>
            <Table aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Username</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(users.data?.items ?? []).map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.username}</Table.Td>
                    <Table.Td>
                      {u.disabled ? <Badge color="gray">disabled</Badge> : <Badge color="teal">active</Badge>}
                    </Table.Td>
                    <Table.Td>
                      {u.id !== me.data?.user.id && (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
                          onClick={() => setDisabled.mutate({ id: u.id, disabled: !u.disabled })}
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
        <form
          aria-label="New user"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Stack maw={560}>
            <Title order={3} size="h5">
              New user
            </Title>
            <TextInput
              label="Username"
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
              error={fieldError(create.error, 'username')}
              disabled={!isAdmin}
              required
            />
            <PasswordInput
              label="Password"
              description="At least 12 characters"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
              error={fieldError(create.error, 'password')}
              disabled={!isAdmin}
              autoComplete="new-password"
              required
            />
            <ErrorNote
              error={
                create.error && !fieldError(create.error, 'username') && !fieldError(create.error, 'password')
                  ? create.error
                  : null
              }
              title="Not created"
            />
            <Group>
              <Button type="submit" loading={create.isPending} disabled={!isAdmin}>
                Create user
              </Button>
              {create.isSuccess && <Text size="sm">Created.</Text>}
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
