import {
  Anchor,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { TableScroll } from '../../components/TableScroll';
import { TemplateEditor } from '../../components/TemplateEditor';

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: ${NAME} is the templates' own placeholder syntax
const EXAMPLE = {
  compose:
    'services:\n  web:\n    image: registry.internal/web:${TAG}\n    environment:\n      API_KEY: ${API_KEY}\n',
  k8s: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: registry.internal/web:${TAG}\n',
};
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: ${NAME} is the templates' own placeholder syntax
type Runtime = keyof typeof EXAMPLE;

export default function ServicesPage() {
  const me = useMe();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const services = useQuery({ queryKey: ['services'], queryFn: () => ok(api.GET('/services', {})) });
  const [runtime, setRuntime] = useState<Runtime>('compose');
  const [form, setForm] = useState({
    project: null as string | null,
    name: '',
    template: EXAMPLE.compose,
    secrets: [] as string[],
    description: '',
  });
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/services', {
          body: {
            project_id: form.project ?? '',
            name: form.name,
            ...(runtime === 'compose' ? { compose_file: form.template } : { k8s_manifest: form.template }),
            secret_variables: form.secrets,
            description: form.description,
          },
        }),
      ),
    onSuccess: (s) => {
      void queries.invalidateQueries({ queryKey: ['services'] });
      navigate(`/services/${s.id}`);
    },
  });
  return (
    <Stack>
      <PageTitle>Services</PageTitle>
      <TableScroll label="Services" minWidth={480}>
        <Table striped aria-label="Services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Templates</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(services.data?.items ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/services/${s.id}`}>
                    {s.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {[s.compose_file && 'compose', s.k8s_manifest && 'k8s'].filter(Boolean).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {s.description}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {can(me.data, 'service:write', form.project) && (
        <Paper withBorder p="md" component="section" aria-label="New service">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Stack>
              <Title order={2} size="h4">
                New service
              </Title>
              <Group grow align="flex-start">
                <ProjectSelect
                  value={form.project}
                  onChange={(v) => setForm({ ...form, project: v })}
                  error={fieldError(create.error, 'project_id')}
                />
                <TextInput
                  label="Service name"
                  value={form.name}
                  onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                  error={fieldError(create.error, 'name')}
                />
              </Group>
              <SegmentedControl
                aria-label="Template runtime"
                value={runtime}
                onChange={(v) => {
                  setRuntime(v as Runtime);
                  setForm({ ...form, template: EXAMPLE[v as Runtime] });
                }}
                data={[
                  { value: 'compose', label: 'Compose file' },
                  { value: 'k8s', label: 'Kubernetes manifest' },
                ]}
              />
              <TemplateEditor
                label="Template"
                value={form.template}
                onChange={(v) => setForm({ ...form, template: v })}
                error={fieldError(create.error, runtime === 'compose' ? 'compose_file' : 'k8s_manifest')}
              />
              <TagsInput
                label="Secret variables"
                description="masked everywhere they appear; values are stored encrypted"
                value={form.secrets}
                onChange={(v) => setForm({ ...form, secrets: v })}
                error={fieldError(create.error, 'secret_variables')}
              />
              <Textarea
                label="Description"
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
                error={fieldError(create.error, 'description')}
                autosize
                minRows={2}
              />
              <ErrorNote error={create.error} title="Not created" />
              <Group>
                <Button type="submit" loading={create.isPending}>
                  Create service
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
