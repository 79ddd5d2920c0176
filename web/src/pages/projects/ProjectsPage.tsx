import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { TableScroll } from '../../components/TableScroll';

export default function ProjectsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => ok(api.POST('/projects', { body: { name } })),
    onSuccess: () => {
      setName('');
      void queries.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  return (
    <Stack>
      <PageTitle>Projects</PageTitle>
      <TableScroll label="Projects" minWidth={480}>
        <Table striped aria-label="Projects">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th>Environments</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(projects.data?.items ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {p.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/environments?project_id=${p.id}`}>
                    Environments
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {can(me.data, 'project:write') ? (
        <Paper withBorder p="md" maw={520} component="section" aria-label="New project">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Title order={2} size="h4" mb="sm">
              New project
            </Title>
            <Group align="flex-end">
              <TextInput
                label="Project name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldError(create.error, 'name')}
                required
              />
              <Button type="submit" loading={create.isPending}>
                Create project
              </Button>
            </Group>
            <ErrorNote error={create.error && !fieldError(create.error, 'name') ? create.error : null} />
          </form>
        </Paper>
      ) : (
        <Text size="sm" c="dimmed">
          Creating projects needs project:write.
        </Text>
      )}
    </Stack>
  );
}
