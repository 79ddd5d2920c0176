import { Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { Release } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { DiffView } from '../../components/DiffView';
import { ErrorNote } from '../../components/ErrorNote';
import { Loading } from '../../components/Loading';
import { ChecksList, DiffSummary, RiskBadge, RiskReasons } from '../../components/ReleaseBits';

export default function TicketPage() {
  const { ticketId = '' } = useParams();
  const me = useMe();
  const queries = useQueryClient();
  const [comment, setComment] = useState('');
  const ticket = useQuery({
    queryKey: ['ticket', ticketId],
    queryFn: () => ok(api.GET('/approvals/inbox/{id}', { params: { path: { id: ticketId } } })),
  });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      ok(
        api.POST('/approvals/inbox/{id}/decision', {
          params: { path: { id: ticketId } },
          body: { decision, comment },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
  if (ticket.isPending) return <Loading />;
  const t = ticket.data;
  if (!t) return <ErrorNote error={ticket.error} title="Ticket not found" />;
  const release = (t.subject as { release?: Release } | null)?.release;
  const mayDecide =
    t.status === 'pending' &&
    t.requested_by !== me.data?.user.id &&
    can(me.data, 'deploy:release:approve', t.project_id) &&
    can(me.data, 'deploy:approval:review', t.project_id);

  return (
    <Stack>
      <PageTitle>Ticket {t.id}</PageTitle>
      <Group gap="xs">
        <Badge variant="outline" data-testid="ticket-status">
          {t.status}
        </Badge>
        <RiskBadge level={t.risk_level} />
        <Text size="sm" c="dimmed">
          {t.kind.replace('_', ' ')} · expires {new Date(t.expires_at).toLocaleString()}
        </Text>
      </Group>
      {t.decision_comment && <Text size="sm">Comment: “{t.decision_comment}”</Text>}
      {release && (
        <Paper withBorder p="md" component="section" aria-label="What this approves">
          <Title order={2} size="h4" mb="xs">
            What this approves
          </Title>
          <Text size="sm" mb="xs">
            Release{' '}
            <Anchor component={Link} to={`/releases/${release.release_id}`}>
              {release.release_id}
            </Anchor>{' '}
            ({release.runtime_type}, {release.strategy})
          </Text>
          <Stack gap="sm">
            <RiskReasons reasons={release.risk_reasons} />
            <ChecksList checks={release.checks} />
            <DiffSummary summary={release.diff.summary} />
            <DiffView unified={release.diff.unified} />
          </Stack>
        </Paper>
      )}
      <ErrorNote error={decide.error} title="Decision refused" />
      {mayDecide && (
        <Stack maw={560}>
          <Textarea
            label="Comment"
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group>
            <Button color="teal" onClick={() => decide.mutate('approve')} loading={decide.isPending}>
              Approve
            </Button>
            <Button
              color="red"
              variant="outline"
              onClick={() => decide.mutate('reject')}
              disabled={decide.isPending}
            >
              Reject
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
