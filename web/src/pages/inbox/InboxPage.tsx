import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { RiskBadge } from '../../components/ReleaseBits';
import { TableScroll } from '../../components/TableScroll';

const KIND_LABEL: Record<string, string> = {
  release_apply: 'release',
  release_rollback: 'rollback',
  install: 'install',
  credential_reveal: 'reveal',
};

type Outcome = { ticket_id: string; outcome: string; error: { code: string; message: string } | null };

export default function InboxPage() {
  const me = useMe();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') ?? 'waiting';
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const query = {
    project_id: params.get('project_id') ?? undefined,
    environment_id: params.get('environment_id') ?? undefined,
    risk_level: (params.get('risk_level') ?? undefined) as 'low' | 'medium' | 'high' | 'critical' | undefined,
    status: (view === 'waiting' ? undefined : (params.get('status') ?? undefined)) as 'pending' | undefined,
    // "Waiting for me" is the API's: pending tickets this user may decide and did not ask for.
    awaiting_my_decision: view === 'waiting' ? ('true' as const) : undefined,
  };
  const inbox = useQuery({
    queryKey: ['inbox', query],
    queryFn: () => ok(api.GET('/approvals/inbox', { params: { query } })),
    refetchInterval: 5000,
  });
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const environments = useQuery({
    queryKey: ['environments'],
    queryFn: () => ok(api.GET('/environments', {})),
  });
  const mayDecide = (projectId: string) =>
    can(me.data, 'deploy:release:approve', projectId) && can(me.data, 'deploy:approval:review', projectId);
  const items = inbox.data?.items ?? [];
  const [selected, setSelected] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      ok(api.POST('/approvals/inbox/batch-decision', { body: { ticket_ids: selected, decision, comment } })),
    onSuccess: (r) => {
      setOutcomes(r.results);
      setSelected([]);
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  const toggle = (id: string) =>
    setSelected(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);

  return (
    <Stack>
      <PageTitle>Approval inbox</PageTitle>
      <Group align="flex-end">
        <SegmentedControl
          aria-label="View"
          value={view}
          onChange={(v) => set('view', v === 'waiting' ? null : v)}
          data={[
            { value: 'waiting', label: 'Waiting for me' },
            { value: 'all', label: 'All tickets' },
          ]}
        />
        <Select
          label="Project"
          clearable
          data={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={query.project_id ?? null}
          onChange={(v) => set('project_id', v)}
        />
        <Select
          label="Environment"
          clearable
          data={(environments.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
          value={query.environment_id ?? null}
          onChange={(v) => set('environment_id', v)}
        />
        <Select
          label="Risk"
          clearable
          data={['low', 'medium', 'high', 'critical']}
          value={query.risk_level ?? null}
          onChange={(v) => set('risk_level', v)}
        />
        {view !== 'waiting' && (
          <Select
            label="Status"
            clearable
            data={['pending', 'approved', 'rejected', 'expired', 'used']}
            value={params.get('status')}
            onChange={(v) => set('status', v)}
          />
        )}
      </Group>
      <ErrorNote error={inbox.error ?? decide.error} />
      <TableScroll label="Tickets" minWidth={720}>
        <Table striped aria-label="Tickets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <Text size="sm" span className="visually-hidden">
                  Select
                </Text>
              </Table.Th>
              <Table.Th>Ticket</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Risk</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${t.id}`}
                    checked={selected.includes(t.id)}
                    disabled={t.status !== 'pending' || !mayDecide(t.project_id)}
                    onChange={() => toggle(t.id)}
                  />
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/inbox/${t.id}`}>
                    {t.id}
                  </Anchor>
                </Table.Td>
                <Table.Td>{KIND_LABEL[t.kind] ?? t.kind}</Table.Td>
                <Table.Td>
                  <RiskBadge level={t.risk_level} />
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline">{t.status}</Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{new Date(t.expires_at).toLocaleString()}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {items.length === 0 && !inbox.isPending && <Text c="dimmed">Nothing here.</Text>}
      <Group align="flex-end">
        <TextInput label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        <Button
          disabled={!selected.length}
          onClick={() => decide.mutate('approve')}
          loading={decide.isPending}
        >
          Approve selected
        </Button>
        <Button
          disabled={!selected.length}
          color="red"
          variant="outline"
          onClick={() => decide.mutate('reject')}
        >
          Reject selected
        </Button>
      </Group>
      {outcomes.length > 0 && (
        <Stack gap={2} aria-label="Outcomes">
          {outcomes.map((o) => (
            <Text size="sm" key={o.ticket_id}>
              {o.ticket_id}: {o.outcome}
              {o.error && ` — ${o.error.message}`}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
