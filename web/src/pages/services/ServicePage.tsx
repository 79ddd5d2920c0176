import { Button, Group, Modal, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Loading } from '../../components/Loading';
import { TemplateEditor } from '../../components/TemplateEditor';
import { CdSection } from './CdSection';
import { CiSection } from './CiSection';

export default function ServicePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const queries = useQueryClient();
  const service = useQuery({
    queryKey: ['service', id],
    queryFn: () => ok(api.GET('/services/{id}', { params: { path: { id } } })),
  });
  const [draft, setDraft] = useState<{
    compose: string;
    k8s: string;
    secrets: string[];
    description: string;
  } | null>(null);
  useEffect(() => {
    if (service.data && !draft)
      setDraft({
        compose: service.data.compose_file ?? '',
        k8s: service.data.k8s_manifest ?? '',
        secrets: service.data.secret_variables,
        description: service.data.description,
      });
  }, [service.data, draft]);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/services/{id}', {
          params: { path: { id } },
          body: {
            compose_file: draft!.compose || null,
            k8s_manifest: draft!.k8s || null,
            secret_variables: draft!.secrets,
            description: draft!.description,
          },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['service', id] }),
  });
  const navigate = useNavigate();
  const [confirming, confirm] = useDisclosure(false);
  // A refusal (409 IN_USE names the releases in flight) stays on the page, the modal closed.
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/services/{id}', { params: { path: { id } } })),
    onSettled: () => confirm.close(),
    onSuccess: () => {
      queries.removeQueries({ queryKey: ['service', id] });
      void queries.invalidateQueries({ queryKey: ['services'] });
      navigate('/services');
    },
  });
  if (service.isPending || (service.data && !draft)) return <Loading />;
  const s = service.data;
  if (!s || !draft) return <ErrorNote error={service.error} title="Service not found" />;
  const mayWrite = can(me.data, 'service:write', s.project_id);
  return (
    <Stack>
      <PageTitle>Service {s.name}</PageTitle>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TemplateEditor
            label="Compose file"
            value={draft.compose}
            onChange={(v) => setDraft({ ...draft, compose: v })}
            error={fieldError(save.error, 'compose_file')}
          />
          <TemplateEditor
            label="Kubernetes manifest"
            value={draft.k8s}
            onChange={(v) => setDraft({ ...draft, k8s: v })}
            error={fieldError(save.error, 'k8s_manifest')}
          />
          <TagsInput
            label="Secret variables"
            value={draft.secrets}
            onChange={(v) => setDraft({ ...draft, secrets: v })}
            error={fieldError(save.error, 'secret_variables')}
          />
          <Textarea
            label="Description"
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
            error={fieldError(save.error, 'description')}
            autosize
            minRows={2}
          />
          <ErrorNote error={save.error} title="Not saved" />
          <Group>
            {mayWrite ? (
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Editing needs service:write.
              </Text>
            )}
            {save.isSuccess && <Text size="sm">Saved.</Text>}
            {mayWrite && (
              <Button color="red" variant="outline" ml="auto" onClick={confirm.open}>
                Delete
              </Button>
            )}
          </Group>
          <ErrorNote error={remove.error} title="Not deleted" />
        </Stack>
      </form>
      <CiSection serviceId={s.id} projectId={s.project_id} />
      <CdSection serviceId={s.id} projectId={s.project_id} />
      <Modal opened={confirming} onClose={confirm.close} title={`Delete service ${s.name}?`} centered>
        <Stack>
          <Text size="sm">
            The service disappears from lists and can no longer be previewed; its releases and their history
            stay. A service with a release in flight is not deleted.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              Keep
            </Button>
            <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Delete service
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
