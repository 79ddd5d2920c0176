import { Button, Group, Select, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';

type Env = { id: string; project_id: string; runner_pool_id: string | null };

/**
 * The runner pool the environment's jobs (releases, installs) go to. Changing it needs
 * environment:write; choosing from the pools needs runner:read, else only the id is shown.
 */
export function RunnerPoolBinding({ env }: { env: Env }) {
  const me = useMe();
  const queries = useQueryClient();
  const mayWrite = can(me.data, 'environment:write', env.project_id);
  const mayList = can(me.data, 'runner:read', env.project_id);
  const pools = useQuery({
    queryKey: ['runner-pools'],
    queryFn: () => ok(api.GET('/runner-pools', { params: { query: { limit: 200 } } })),
    enabled: mayList,
  });
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  const chosen = choice === undefined ? env.runner_pool_id : choice;
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/environments/{id}', {
          params: { path: { id: env.id } },
          body: { runner_pool_id: chosen },
        }),
      ),
    onSuccess: () => {
      setChoice(undefined);
      void queries.invalidateQueries({ queryKey: ['environment', env.id] });
      void queries.invalidateQueries({ queryKey: ['environments'] });
    },
  });
  const options = (pools.data?.items ?? [])
    .filter((p) => p.project_id === null || p.project_id === env.project_id)
    .map((p) => ({ value: p.id, label: p.project_id ? p.name : `${p.name} (global)` }));
  const current = options.find((o) => o.value === env.runner_pool_id)?.label ?? env.runner_pool_id;

  if (!mayWrite || !mayList)
    return (
      <Text size="sm" c="dimmed">
        Runner pool: {current ?? 'none (jobs wait until one is bound)'}
        {!mayWrite && ' · changing it: missing permission environment:write'}
        {mayWrite && !mayList && ' · choosing one: missing permission runner:read'}
      </Text>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      aria-label="Runner pool binding"
    >
      <Group align="flex-end" gap="xs">
        <Select
          label="Runner pool"
          placeholder="None (jobs wait until one is bound)"
          clearable
          data={options}
          value={chosen}
          onChange={(v) => setChoice(v)}
          error={fieldError(save.error, 'runner_pool_id')}
          w={280}
        />
        <Button
          type="submit"
          variant="default"
          disabled={chosen === env.runner_pool_id}
          loading={save.isPending}
        >
          Save pool
        </Button>
      </Group>
      <ErrorNote error={save.error} title="Pool not saved" />
    </form>
  );
}
