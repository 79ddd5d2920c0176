import { Code, Paper, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { Release } from '../../api/types';

const who = (a: { username: string | null; user_id: string | null; source: string }) =>
  `${a.username ?? a.user_id ?? 'the platform'} (${a.source})`;

/**
 * Where a release came from (SPEC §7.2 seed 002 decision 4): build → release → ticket →
 * decisions → actors, as one small timeline. Only for releases a CD policy made from a build.
 */
export function ChainSection({ release }: { release: Release }) {
  const me = useMe();
  const chain = useQuery({
    queryKey: ['release', release.release_id, 'chain', release.lifecycle_state],
    queryFn: () => ok(api.GET('/ci/releases/{id}/chain', { params: { path: { id: release.release_id } } })),
    enabled: Boolean(release.build) && can(me.data, 'ci:read', release.project_id),
  });
  const c = chain.data;
  if (!release.build || !c) return null;
  const automatic = c.actors.find((a) => a.on_behalf_of);
  return (
    <Paper withBorder p="md" component="section" aria-label="Chain">
      <Title order={2} size="h4" mb="xs">
        Chain
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={3}>
        <Timeline.Item title="Build">
          <Text size="xs">
            {c.service.name} · commit <Code>{c.build?.commit.slice(0, 7)}</Code>
            {c.build?.ref && ` · ${c.build.ref.replace(/^refs\/(heads|tags)\//, '')}`}
            {c.build?.provider_run_id && ` · run ${c.build.provider_run_id}`}
          </Text>
        </Timeline.Item>
        <Timeline.Item title="Release">
          <Text size="xs" data-testid="chain-release">
            {c.release?.lifecycle_state ?? 'not readable'}
            {automatic &&
              ` · made by the CD policy on behalf of ${automatic.on_behalf_of_username ?? automatic.on_behalf_of}`}
          </Text>
        </Timeline.Item>
        <Timeline.Item title="Ticket">
          <Text size="xs">{c.ticket ? `${c.ticket.id} · ${c.ticket.status}` : 'no ticket needed'}</Text>
          {c.decisions.map((d) => (
            <Text size="xs" key={d.at}>
              {d.decision} by {d.decided_by_username ?? d.decided_by}
              {d.comment && `: “${d.comment}”`}
            </Text>
          ))}
        </Timeline.Item>
        <Timeline.Item title="Actors">
          {c.actors.map((a) => (
            <Text size="xs" key={`${a.at}-${a.action}`}>
              {a.action} · {who(a.actor)}
            </Text>
          ))}
        </Timeline.Item>
      </Timeline>
    </Paper>
  );
}
