import { Button, Checkbox, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';

type Draft = {
  target_ids: string[];
  strategy: 'rolling' | 'recreate';
  auto_preview_on_build: boolean;
  auto_apply: boolean;
  approval: 'inherit' | 'always';
  auto_rollback_on_failure: boolean;
};
const EMPTY: Draft = {
  target_ids: [],
  strategy: 'rolling',
  auto_preview_on_build: false,
  auto_apply: false,
  approval: 'inherit',
  auto_rollback_on_failure: false,
};

/** What the service does with its builds, one policy per environment of its project. */
export function CdSection(props: { serviceId: string; projectId: string }) {
  const envs = useQuery({
    queryKey: ['environments', props.projectId],
    queryFn: () => ok(api.GET('/environments', { params: { query: { project_id: props.projectId } } })),
  });
  const policies = useQuery({
    queryKey: ['cd-policies', props.serviceId],
    queryFn: () => ok(api.GET('/cd/policies', { params: { query: { service_id: props.serviceId } } })),
  });
  return (
    <Stack>
      <Title order={2}>CD policies</Title>
      <Text size="sm" c="dimmed">
        A succeeded build with an image is previewed (and with auto-apply, applied through the usual
        approvals) on the chosen targets, as the user who last saved the policy.
      </Text>
      <ErrorNote error={envs.error ?? policies.error} title="CD policies not loaded" />
      {(envs.data?.items ?? []).map((env) => (
        <EnvironmentPolicy
          key={env.id}
          serviceId={props.serviceId}
          projectId={props.projectId}
          env={env}
          saved={policies.data?.items.find((p) => p.environment_id === env.id)}
        />
      ))}
    </Stack>
  );
}

function EnvironmentPolicy(props: {
  serviceId: string;
  projectId: string;
  env: { id: string; name: string; tier: string };
  saved?: Draft & { saved_by: string };
}) {
  const me = useMe();
  const queries = useQueryClient();
  const mayWrite = can(me.data, 'cd:write', props.projectId);
  const targets = useQuery({
    queryKey: ['targets', 'env', props.env.id],
    queryFn: () => ok(api.GET('/deploy/targets', { params: { query: { environment_id: props.env.id } } })),
  });
  const [edited, setDraft] = useState<Draft | null>(null);
  const draft: Draft = edited ?? (props.saved ? { ...EMPTY, ...props.saved } : EMPTY);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/cd/policies/{service_id}/{environment_id}', {
          params: { path: { service_id: props.serviceId, environment_id: props.env.id } },
          body: draft,
        }),
      ),
    onSuccess: () => {
      setDraft(null);
      void queries.invalidateQueries({ queryKey: ['cd-policies', props.serviceId] });
    },
  });
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const label = `${props.env.name} (${props.env.tier})`;
  return (
    <Paper withBorder p="md">
      <form
        aria-label={`CD policy for ${props.env.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={3} size="h5">
            {label}
          </Title>
          <Checkbox.Group
            label="Targets"
            value={draft.target_ids}
            onChange={(v) => set({ target_ids: v })}
            error={fieldError(save.error, 'target_ids')}
          >
            <Group mt={4}>
              {(targets.data?.items ?? []).map((t) => (
                <Checkbox key={t.id} value={t.id} label={t.name} disabled={!mayWrite} />
              ))}
              {targets.data?.items.length === 0 && <Text size="sm">No target in this environment.</Text>}
            </Group>
          </Checkbox.Group>
          <Group>
            <Checkbox
              label="Preview each build"
              checked={draft.auto_preview_on_build}
              disabled={!mayWrite}
              onChange={(e) => set({ auto_preview_on_build: e.currentTarget.checked })}
            />
            <Checkbox
              label="Apply automatically"
              checked={draft.auto_apply}
              disabled={!mayWrite}
              onChange={(e) => set({ auto_apply: e.currentTarget.checked })}
            />
            <Checkbox
              label="Roll back a failed release"
              checked={draft.auto_rollback_on_failure}
              disabled={!mayWrite}
              onChange={(e) => set({ auto_rollback_on_failure: e.currentTarget.checked })}
            />
          </Group>
          <Group grow>
            <Select
              label="Approval"
              data={[
                { value: 'inherit', label: 'As the project policy says' },
                { value: 'always', label: 'Always ask for a ticket' },
              ]}
              value={draft.approval}
              allowDeselect={false}
              disabled={!mayWrite}
              onChange={(v) => v && set({ approval: v as Draft['approval'] })}
            />
            <Select
              label="Strategy"
              data={['rolling', 'recreate']}
              value={draft.strategy}
              allowDeselect={false}
              disabled={!mayWrite}
              onChange={(v) => v && set({ strategy: v as Draft['strategy'] })}
            />
          </Group>
          {props.saved && (
            <Text size="xs" c="dimmed">
              Acts as {props.saved.saved_by}.
            </Text>
          )}
          <ErrorNote error={save.error} title="CD policy not saved" />
          {mayWrite && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save policy for {props.env.name}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
