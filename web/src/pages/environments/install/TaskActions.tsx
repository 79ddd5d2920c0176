import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../../../api/client';
import { can, useMe } from '../../../api/me';
import type { InstallTask } from '../../../api/types';
import { ErrorNote } from '../../../components/ErrorNote';

type Confirm = 'rollback' | 'uninstall' | null;

/**
 * What the API allows next for the task's status: retry a failed task; roll back a succeeded or
 * failed one (not a rollback); uninstall what a succeeded install put there; cancel one no runner
 * has claimed. A user without environment:install is told which permission is missing.
 */
export function TaskActions({ task: t }: { task: InstallTask }) {
  const me = useMe();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [confirm, setConfirm] = useState<Confirm>(null);
  const path = { id: t.environment_id, task_id: t.id };
  const refresh = () => queries.invalidateQueries({ queryKey: ['install-task', t.environment_id] });
  const open = (next: InstallTask | { id: string }) => {
    setConfirm(null);
    void queries.invalidateQueries({ queryKey: ['install-tasks', t.environment_id] });
    navigate(`/environments/${t.environment_id}/install/${next.id}`);
  };
  const retry = useMutation({
    mutationFn: () => ok(api.POST('/environments/{id}/install/tasks/{task_id}/retry', { params: { path } })),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: () => ok(api.POST('/environments/{id}/install/tasks/{task_id}/cancel', { params: { path } })),
    onSuccess: refresh,
  });
  const rollback = useMutation({
    mutationFn: () =>
      ok(api.POST('/environments/{id}/install/tasks/{task_id}/rollback', { params: { path } })),
    onSuccess: open,
  });
  const uninstall = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/environments/{id}/uninstall', {
          params: { path: { id: t.environment_id } },
          body: { host_ids: t.host_ids, runtime: t.runtime, version: t.version },
        }),
      ),
    onSuccess: open,
  });

  const mayInstall = can(me.data, 'environment:install', t.project_id);
  const mayCancel = mayInstall || (me.data !== undefined && me.data.user.id === t.created_by);
  const offers = {
    retry: t.status === 'failed',
    // A VIP task goes with its cluster: uninstalling the install stops keepalived.
    rollback:
      t.action !== 'rollback' && t.action !== 'vip' && (t.status === 'succeeded' || t.status === 'failed'),
    uninstall: t.action === 'install' && t.status === 'succeeded',
    cancel: t.status === 'pending_approval' || t.status === 'queued',
  };
  const installOffered = offers.retry || offers.rollback || offers.uninstall;
  const hosts = `${t.host_ids.length} host(s)`;

  return (
    <Stack gap="xs">
      <Group>
        {offers.retry && mayInstall && (
          <Button onClick={() => retry.mutate()} loading={retry.isPending}>
            Retry
          </Button>
        )}
        {offers.rollback && mayInstall && (
          <Button variant="outline" color="grape" onClick={() => setConfirm('rollback')}>
            Rollback
          </Button>
        )}
        {offers.uninstall && mayInstall && (
          <Button variant="outline" color="red" onClick={() => setConfirm('uninstall')}>
            Uninstall
          </Button>
        )}
        {offers.cancel && mayCancel && (
          <Button variant="default" onClick={() => cancel.mutate()} loading={cancel.isPending}>
            Cancel
          </Button>
        )}
      </Group>
      {installOffered && !mayInstall && (
        <Text size="sm" c="dimmed">
          Retry, rollback and uninstall: missing permission environment:install
        </Text>
      )}
      <ErrorNote error={retry.error ?? cancel.error ?? rollback.error ?? uninstall.error} title="Not done" />
      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === 'rollback' ? 'Roll back this task?' : 'Uninstall the runtime?'}
      >
        <Stack>
          <Text size="sm">
            {confirm === 'rollback'
              ? `Undoes the steps this task ran on ${hosts}, newest first, as a new task.`
              : `Removes ${t.runtime} ${t.version} from ${hosts} and puts them back as they were, as a new task.`}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Keep it
            </Button>
            <Button
              color={confirm === 'rollback' ? 'grape' : 'red'}
              loading={rollback.isPending || uninstall.isPending}
              onClick={() => (confirm === 'rollback' ? rollback.mutate() : uninstall.mutate())}
            >
              {confirm === 'rollback' ? 'Roll back' : 'Uninstall'}
            </Button>
          </Group>
          <ErrorNote error={rollback.error ?? uninstall.error} title="Not started" />
        </Stack>
      </Modal>
    </Stack>
  );
}
