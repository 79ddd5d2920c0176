import {
  Accordion,
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { revalidate } from '../../api/conditional';
import { useHostNames } from '../../api/lists';
import { can, useMe } from '../../api/me';
import type { TimelineEvent } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { DiffView } from '../../components/DiffView';
import { ErrorNote } from '../../components/ErrorNote';
import { JobSteps } from '../../components/JobSteps';
import { Loading } from '../../components/Loading';
import { ChecksList, DiffSummary, RiskBadge, RiskReasons, StateBadge } from '../../components/ReleaseBits';
import { ChainSection } from './Chain';
import { Diagnostics, trimmedNote } from './Diagnostics';

/** States a release leaves by itself: the page keeps asking until it reaches another. */
const MOVING = new Set(['pending_approval', 'approved', 'applying']);
const POLL_MS = 1500;

/** The events shown so far and the ETag of the answer that brought the last of them. */
type LiveTimeline = { items: TimelineEvent[]; etag: string | null };

export default function ReleasePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const release = useQuery({
    queryKey: ['release', id],
    queryFn: () => ok(api.GET('/deploy/releases/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && MOVING.has(q.state.data.lifecycle_state) ? POLL_MS : false),
  });
  const moving = release.data ? MOVING.has(release.data.lifecycle_state) : false;
  // Names for the ids the release holds; a reader who may not read them still sees the ids.
  const serviceId = release.data?.service_id;
  const service = useQuery({
    queryKey: ['service', serviceId],
    queryFn: () => ok(api.GET('/services/{id}', { params: { path: { id: serviceId! } } })),
    enabled: Boolean(serviceId),
    retry: false,
  });
  const hostNames = useHostNames(release.data?.project_id);
  const targetId = release.data?.target_id;
  const target = useQuery({
    queryKey: ['target', targetId],
    queryFn: () => ok(api.GET('/deploy/targets/{id}', { params: { path: { id: targetId! } } })),
    enabled: Boolean(targetId),
    retry: false,
  });
  const timelineKey = ['release', id, 'timeline'];
  const timeline = useQuery({
    queryKey: timelineKey,
    // Each poll asks only for events after the last one held, and a 304 keeps what is shown.
    queryFn: async (): Promise<LiveTimeline> => {
      const held = queries.getQueryData<LiveTimeline>(timelineKey);
      const after = held?.items.at(-1)?.seq;
      const got = await revalidate(
        held?.etag,
        (headers) =>
          api.GET('/deploy/releases/{id}/timeline', {
            params: { path: { id }, query: after === undefined ? {} : { after } },
            headers,
          }),
        ok,
      );
      if (got.notModified && held) return held;
      if (got.notModified) throw new Error('304 without a timeline held');
      return { items: [...(held?.items ?? []), ...got.data.items], etag: got.etag };
    },
    refetchInterval: moving ? POLL_MS : false,
  });
  const state = release.data?.lifecycle_state;
  const refetchTimeline = timeline.refetch;
  // A new state means new events: the last poll may have missed the one that ended it.
  useEffect(() => {
    if (state) void refetchTimeline();
  }, [state, refetchTimeline]);
  const steps = useQuery({
    queryKey: ['release', id, 'steps', release.data?.lifecycle_state],
    queryFn: () => ok(api.GET('/deploy/releases/{id}/steps', { params: { path: { id } } })),
    enabled: Boolean(release.data),
    refetchInterval: moving ? POLL_MS : false,
  });
  const r = release.data;
  const ticketId = r?.approval_ticket ?? null;
  const ticket = useQuery({
    queryKey: ['ticket', ticketId],
    queryFn: () => ok(api.GET('/approvals/inbox/{id}', { params: { path: { id: ticketId! } } })),
    enabled: Boolean(ticketId) && can(me.data, 'deploy:approval:read', r?.project_id),
    refetchInterval: r?.lifecycle_state === 'pending_approval' ? POLL_MS : false,
  });
  const rollback = useMutation({
    mutationFn: () => ok(api.POST('/deploy/releases/{id}/rollback/preview', { params: { path: { id } } })),
    onSuccess: (p) => navigate(`/releases/${p.release_id}`),
  });
  const apply = useMutation({
    mutationFn: () => ok(api.POST('/deploy/releases/apply', { body: { preview_ref: r!.preview_ref! } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['release', id] }),
  });
  const cancel = useMutation({
    mutationFn: () => ok(api.POST('/deploy/releases/{id}/cancel', { params: { path: { id } } })),
    // The answer is the cancelled release: shown at once, no reload.
    onSuccess: (cancelled) => {
      queries.setQueryData(['release', id], cancelled);
      void queries.invalidateQueries({ queryKey: ['release', id] });
    },
  });

  if (release.isPending) return <Loading />;
  if (!r) return <ErrorNote error={release.error} title="Release not found" />;
  const verb = r.rollback_of ? 'rollback' : 'apply';
  const mayApply =
    can(me.data, `deploy:release:${verb}`, r.project_id) &&
    can(me.data, `deploy:${r.runtime_type}:${verb}`, r.project_id);
  // SPEC §7.0: the requester, or whoever may apply it; a claimed release has left `approved`.
  const mayCancel = r.created_by === me.data?.user.id || mayApply;
  const cancellable = r.lifecycle_state === 'pending_approval' || r.lifecycle_state === 'approved';
  const mayRollback =
    can(me.data, 'deploy:release:rollback', r.project_id) &&
    can(me.data, `deploy:${r.runtime_type}:rollback`, r.project_id);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle>Release {r.release_id}</PageTitle>
          <Group gap="xs">
            <StateBadge state={r.lifecycle_state} />
            <RiskBadge level={r.risk_level} />
            <Text size="sm" c="dimmed">
              {r.runtime_type} · {r.strategy}
            </Text>
          </Group>
        </div>
        <Group>
          {r.lifecycle_state === 'preview' && r.preview_ref && mayApply && (
            <Button color="teal" onClick={() => apply.mutate()} loading={apply.isPending}>
              Apply
            </Button>
          )}
          {cancellable &&
            (mayCancel ? (
              <Button
                variant="outline"
                color="red"
                onClick={() => cancel.mutate()}
                loading={cancel.isPending}
              >
                Cancel release
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Cancelling needs deploy:release:{verb} and deploy:{r.runtime_type}:{verb}, or being the
                requester.
              </Text>
            ))}
          {['applied', 'failed'].includes(r.lifecycle_state) && mayRollback && (
            <Button
              variant="outline"
              color="grape"
              onClick={() => rollback.mutate()}
              loading={rollback.isPending}
            >
              Rollback
            </Button>
          )}
        </Group>
      </Group>
      <ErrorNote error={apply.error ?? rollback.error ?? cancel.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-label="Details">
          <Title order={2} size="h4" mb="xs">
            Details
          </Title>
          <Text size="sm">
            Service{' '}
            <Anchor component={Link} to={`/services/${r.service_id}`} title={r.service_id}>
              {service.data?.name ?? r.service_id}
            </Anchor>{' '}
            on target{' '}
            <Anchor component={Link} to={`/targets/${r.target_id}`} title={r.target_id}>
              {target.data ? `${target.data.name} · ${target.data.runtime_type}` : r.target_id}
            </Anchor>
          </Text>
          {r.rollback_of && (
            <Text size="sm">
              Rolls back{' '}
              <Anchor component={Link} to={`/releases/${r.rollback_of}`}>
                {r.rollback_of}
              </Anchor>
            </Text>
          )}
          {ticketId && (
            <Text size="sm">
              Ticket{' '}
              <Anchor component={Link} to={`/inbox/${ticketId}`}>
                {ticketId}
              </Anchor>
              {ticket.data && ` — ${ticket.data.status}`}
              {ticket.data?.decision_comment && `: “${ticket.data.decision_comment}”`}
            </Text>
          )}
          <Diagnostics release={r} />
        </Paper>
        <Paper withBorder p="md" component="section" aria-label="Timeline">
          <Title order={2} size="h4" mb="xs">
            Timeline
          </Title>
          <Timeline bulletSize={14} lineWidth={2} active={(timeline.data?.items.length ?? 1) - 1}>
            {(timeline.data?.items ?? []).map((e) => (
              <Timeline.Item key={e.event_id} title={e.action}>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {new Date(e.occurred_at).toLocaleString()} · {e.source}
                  {typeof e.detail.step === 'string' && ` · ${e.detail.step} ${e.status}`}
                  {typeof e.detail.error_code === 'string' && ` · ${e.detail.error_code}`}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>
      <ChainSection release={r} />
      <Paper withBorder p="md" component="section" aria-label="Steps">
        <Title order={2} size="h4" mb="xs">
          Steps
        </Title>
        <ErrorNote error={steps.error} />
        {trimmedNote(r) && (
          <Text size="sm" c="dimmed" mb="xs" data-testid="steps-trimmed">
            {trimmedNote(r)}
          </Text>
        )}
        <JobSteps
          steps={steps.data?.items ?? []}
          noOutput={trimmedNote(r) ?? undefined}
          hostNames={hostNames}
        />
      </Paper>
      <Paper withBorder p="md" component="section" aria-label="Change">
        <Title order={2} size="h4" mb="xs">
          Change
        </Title>
        <Stack gap="sm">
          <RiskReasons reasons={r.risk_reasons} />
          <ChecksList checks={r.checks} />
          <DiffSummary summary={r.diff.summary} />
          <DiffView unified={r.diff.unified} />
        </Stack>
      </Paper>
      <RevisionSection releaseId={r.release_id} />
    </Stack>
  );
}

/**
 * The revision that runs, as the API masks it (secret values and the digest are never shown in
 * the clear). Fetched only when opened: most visits do not need it.
 */
function RevisionSection({ releaseId }: { releaseId: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const revision = useQuery({
    queryKey: ['release', releaseId, 'revision'],
    queryFn: () => ok(api.GET('/deploy/releases/{id}/revision', { params: { path: { id: releaseId } } })),
    enabled: open === 'revision',
  });
  const v = revision.data;
  return (
    <Paper withBorder p="md" component="section" aria-label="Revision">
      <Title order={2} size="h4" mb="xs">
        Revision
      </Title>
      <Accordion value={open} onChange={setOpen}>
        <Accordion.Item value="revision">
          <Accordion.Control>Show the masked revision</Accordion.Control>
          <Accordion.Panel>
            {revision.isPending && <Loading />}
            <ErrorNote error={revision.error} title="Revision not available" />
            {v && (
              <Stack gap="xs">
                <Text size="sm">
                  Masked digest: <Code data-testid="masked-digest">{v.masked_digest ?? 'none'}</Code>
                </Text>
                <Text size="sm">
                  Revision digest: <Code>{v.revision_digest}</Code>
                </Text>
                {v.masked_revision ? (
                  <Code block tabIndex={0} aria-label="Masked revision" data-testid="masked-revision">
                    {v.masked_revision}
                  </Code>
                ) : (
                  <Text size="sm" c="dimmed">
                    No masked revision was kept for this release.
                  </Text>
                )}
              </Stack>
            )}
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}
