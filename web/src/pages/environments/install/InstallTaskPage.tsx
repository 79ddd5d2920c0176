import {
  Anchor,
  Badge,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../../api/client';
import type { InstallTask } from '../../../api/types';
import { PageTitle } from '../../../app/Layout';
import { ErrorNote } from '../../../components/ErrorNote';
import { Loading } from '../../../components/Loading';
import { MOVING, STATUS_COLOR, STEP_COLOR } from './status';
import { TaskActions } from './TaskActions';
import { TaskLogs } from './TaskLogs';

const POLL_MS = 1500;
const ACTION_TITLE = {
  install: 'Install',
  uninstall: 'Uninstall',
  rollback: 'Rollback',
  vip: 'VIP for',
  cert_renew: 'Certificate renewal of',
} as const;

/**
 * One install task (SPEC §7.1): its steps per host as the runner reports them, refreshed until the
 * task ends, with what may be done next (retry, rollback, uninstall, cancel).
 */
export default function InstallTaskPage() {
  const { id = '', taskId = '' } = useParams();
  const task = useQuery({
    queryKey: ['install-task', id, taskId],
    queryFn: () =>
      ok(
        api.GET('/environments/{id}/install/tasks/{task_id}', {
          params: { path: { id, task_id: taskId } },
        }),
      ),
    refetchInterval: (q) => (q.state.data && MOVING.has(q.state.data.status) ? POLL_MS : false),
  });
  const t = task.data;
  const hosts = useQuery({
    queryKey: ['hosts', t?.project_id, 'all'],
    queryFn: () => ok(api.GET('/hosts', { params: { query: { project_id: t!.project_id, limit: 200 } } })),
    enabled: Boolean(t?.project_id),
  });
  if (task.isPending) return <Loading />;
  if (!t) return <ErrorNote error={task.error} title="Install task not found" />;
  const hostName = (hostId: string) => hosts.data?.items.find((h) => h.id === hostId)?.name ?? hostId;
  const moving = MOVING.has(t.status);

  return (
    <Stack>
      <div>
        <PageTitle>
          {ACTION_TITLE[t.action]} {t.runtime} {t.version}
        </PageTitle>
        <Group gap="xs">
          <Badge color={STATUS_COLOR[t.status]} data-testid="task-status">
            {t.status.replace('_', ' ')}
          </Badge>
          <Text size="sm" c="dimmed">
            task {t.id} ·{' '}
            <Anchor underline="always" component={Link} to={`/environments/${t.environment_id}`}>
              environment
            </Anchor>
          </Text>
        </Group>
      </div>
      <Paper withBorder p="md" component="section" aria-label="Progress">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Progress
            </Title>
            <Text size="sm" data-testid="task-progress">
              {t.progress_percent}%
            </Text>
          </Group>
          <Progress
            value={t.progress_percent}
            animated={moving}
            color={STATUS_COLOR[t.status]}
            aria-label={`Progress ${t.progress_percent}%`}
          />
          {t.current_step && (
            <Text size="sm">
              {t.status === 'failed' ? 'Failed at' : 'Now'}: <code>{t.current_step}</code>
            </Text>
          )}
          <TaskFacts task={t} />
          <VipFollowUp task={t} />
          <TaskActions task={t} />
        </Stack>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {t.steps.map((h) => (
          <Paper
            key={h.host_id}
            withBorder
            p="md"
            component="section"
            aria-label={`Steps on ${hostName(h.host_id)}`}
          >
            <Title order={2} size="h5" mb="xs">
              {hostName(h.host_id)}
            </Title>
            <Timeline
              bulletSize={14}
              lineWidth={2}
              active={shown(t, h.steps).findLastIndex((s) => s.status !== 'pending')}
            >
              {shown(t, h.steps).map((s) => (
                <Timeline.Item
                  key={s.name}
                  title={s.name}
                  color={STEP_COLOR[s.status]}
                  data-testid={`step-${h.host_id}-${s.name}`}
                  data-status={s.status}
                >
                  <Text size="xs" c={s.status === 'failed' ? 'red.8' : 'dimmed'}>
                    {s.status}
                    {s.attempt > 1 && ` · attempt ${s.attempt}`}
                    {s.error_code && ` · ${s.error_code}`}
                    {s.started_at && s.finished_at && ` · ${seconds(s.started_at, s.finished_at)}`}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Paper>
        ))}
      </SimpleGrid>
      <TaskLogs task={t} hostName={hostName} />
    </Stack>
  );
}

type Step = InstallTask['steps'][number]['steps'][number];

/**
 * An install, VIP or renewal task shows all its steps from the start; an uninstall or rollback
 * runs other steps than the install's list the API lays out, so only those that ran are shown.
 */
const shown = (t: InstallTask, steps: Step[]) =>
  t.action === 'uninstall' || t.action === 'rollback' ? steps.filter((s) => s.attempt > 0) : steps;

/**
 * An install with a VIP: the VIP task that follows it once the cluster is up (seed 004 §5.4), with
 * its status, found among the environment's tasks; polled until it has ended.
 */
function VipFollowUp({ task: t }: { task: InstallTask }) {
  const vip = (t.options as { lvs_vip?: string | null }).lvs_vip;
  const wanted = t.action === 'install' && Boolean(vip);
  const tasks = useQuery({
    // Asked again when the install's status changes: the VIP task appears as it succeeds.
    queryKey: ['install-tasks', t.environment_id, 'follows', t.id, t.status],
    queryFn: () =>
      ok(
        api.GET('/environments/{id}/install/tasks', {
          params: { path: { id: t.environment_id }, query: { limit: 50 } },
        }),
      ),
    enabled: wanted,
    refetchInterval: (q) => {
      const f = q.state.data?.items.find((x) => x.follows === t.id);
      const awaited = !f && t.status === 'succeeded';
      return MOVING.has(t.status) || awaited || (f && MOVING.has(f.status)) ? POLL_MS : false;
    },
  });
  if (!wanted) return null;
  const follow = tasks.data?.items.find((x) => x.follows === t.id);
  return (
    <Group gap="xs" component="section" aria-label="VIP task">
      {follow ? (
        <>
          <Text size="sm">
            VIP {vip}:{' '}
            <Anchor
              underline="always"
              component={Link}
              to={`/environments/${t.environment_id}/install/${follow.id}`}
            >
              VIP task {follow.id}
            </Anchor>
          </Text>
          <Badge color={STATUS_COLOR[follow.status]} data-testid="vip-task-status">
            {follow.status.replace('_', ' ')}
          </Badge>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          VIP {vip}: a VIP task of its own follows once this install has succeeded.
        </Text>
      )}
    </Group>
  );
}

const seconds = (from: string, to: string) =>
  `${Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s`;

/** Where the task came from and what it left: its ticket, the task it undoes, the target it made. */
function TaskFacts({ task: t }: { task: InstallTask }) {
  const registered = t.registered as { target_id?: string; warning?: { code?: string } } | null;
  const errorCode = (t.result as { error_code?: string } | null)?.error_code;
  return (
    <Stack gap={2}>
      {t.approval_ticket && (
        <Text size="sm">
          {t.status === 'pending_approval' ? 'Waiting for approval: ticket ' : 'Ticket '}
          <Anchor underline="always" component={Link} to={`/inbox/${t.approval_ticket}`}>
            {t.approval_ticket}
          </Anchor>
        </Text>
      )}
      {t.follows && (
        <Text size="sm">
          Follows the install{' '}
          <Anchor
            underline="always"
            component={Link}
            to={`/environments/${t.environment_id}/install/${t.follows}`}
          >
            {t.follows}
          </Anchor>
        </Text>
      )}
      {t.rollback_of && (
        <Text size="sm">
          Rolls back{' '}
          <Anchor
            underline="always"
            component={Link}
            to={`/environments/${t.environment_id}/install/${t.rollback_of}`}
          >
            {t.rollback_of}
          </Anchor>
        </Text>
      )}
      {errorCode && (
        <Text size="sm" c="red.8">
          Error: {errorCode}
        </Text>
      )}
      {registered?.target_id && (
        <Text size="sm">
          Registered target{' '}
          <Anchor underline="always" component={Link} to={`/targets/${registered.target_id}`}>
            {registered.target_id}
          </Anchor>
        </Text>
      )}
      {registered?.warning?.code && (
        <Text size="sm" c="orange.9">
          Installed, but not registered: {registered.warning.code}
        </Text>
      )}
    </Stack>
  );
}
