import {
  Anchor,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { AUDIT_ACTIONS } from '../../../../shared/events';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { AuditAction, AuditEvent } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { ProjectSelect } from '../../components/ProjectSelect';
import { TableScroll } from '../../components/TableScroll';
import { VerifyPanel } from './VerifyPanel';

/** The API's own list of actions (its query enum); typed against the client so the two cannot drift. */
const ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS;
const PAGE = 50;
const FILTERS = ['action', 'resource_type', 'resource_id', 'project_id', 'since'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** `datetime-local` is the user's local time; the API wants an instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

export default function AuditPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  // The cursors of the pages before this one, so "Previous" needs no reverse query.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const query = {
    action: (applied.action || undefined) as AuditAction | undefined,
    resource_type: applied.resource_type || undefined,
    resource_id: applied.resource_id || undefined,
    project_id: applied.project_id || undefined,
    since: toInstant(applied.since),
    limit: PAGE,
    cursor,
  };
  const events = useQuery({
    queryKey: ['audit', query],
    queryFn: () => ok(api.GET('/audit/events', { params: { query } })),
  });
  const isAdmin = can(me.data, 'rbac:admin', null);
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => ok(api.GET('/users', { params: { query: { limit: 200 } } })),
    enabled: isAdmin,
  });
  const actor = (id: string | null) =>
    id === null ? 'system' : (users.data?.items.find((u) => u.id === id)?.username ?? id);
  // The event stays shown while the drawer fades out: a drawer emptied at once is, for those
  // moments, a dialog without a name.
  const [shown, setShown] = useState<AuditEvent | null>(null);
  const [opened, setOpened] = useState(false);
  const setOpen = (e: AuditEvent | null) => {
    if (e) setShown(e);
    setOpened(e !== null);
  };
  const search = () => {
    setCursors([undefined]);
    setParams(Object.fromEntries(FILTERS.filter((k) => draft[k]).map((k) => [k, draft[k]])), {
      replace: true,
    });
  };
  return (
    <Stack>
      <PageTitle>Audit</PageTitle>
      <VerifyPanel mayVerify={can(me.data, 'audit:read', null)} />
      <Paper withBorder p="md" component="section" aria-label="Search">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            search();
          }}
        >
          <Group align="flex-end">
            <Select
              label="Action"
              searchable
              clearable
              data={[...ACTIONS]}
              value={draft.action || null}
              onChange={(v) => setDraft({ ...draft, action: v ?? '' })}
            />
            <TextInput
              label="Resource type"
              placeholder="runner_pool"
              value={draft.resource_type}
              onChange={(e) => setDraft({ ...draft, resource_type: e.currentTarget.value })}
            />
            <TextInput
              label="Resource id"
              value={draft.resource_id}
              onChange={(e) => setDraft({ ...draft, resource_id: e.currentTarget.value })}
            />
            <ProjectSelect
              label="Project"
              clearable
              value={draft.project_id || null}
              onChange={(v) => setDraft({ ...draft, project_id: v ?? '' })}
            />
            <TextInput
              label="Since"
              type="datetime-local"
              value={draft.since}
              onChange={(e) => setDraft({ ...draft, since: e.currentTarget.value })}
              error={fieldError(events.error, 'since')}
            />
            <Button type="submit">Search</Button>
          </Group>
        </form>
      </Paper>
      <ErrorNote error={events.error} />
      <TableScroll label="Audit events" minWidth={720}>
        <Table striped aria-label="Audit events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Resource</Table.Th>
              <Table.Th>Actor</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(events.data?.items ?? []).map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{e.seq}</Table.Td>
                <Table.Td>
                  <Text size="sm">{new Date(e.occurred_at).toLocaleString()}</Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => setOpen(e)}>
                    {e.action}
                  </Anchor>{' '}
                  {e.status !== 'succeeded' && (
                    <Badge size="xs" variant="outline">
                      {e.status}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {e.resource_type} {e.resource_id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{actor(e.actor_id)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {events.data?.items.length === 0 && <Text c="dimmed">No event matches.</Text>}
      <Group>
        <Button
          variant="default"
          disabled={cursors.length < 2}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous
        </Button>
        <Button
          variant="default"
          disabled={!events.data?.next_cursor}
          onClick={() => setCursors([...cursors, events.data?.next_cursor ?? undefined])}
        >
          Next
        </Button>
        <Text size="sm" c="dimmed">
          Oldest first, {PAGE} a page.
        </Text>
      </Group>
      <Drawer
        opened={opened}
        onClose={() => setOpen(null)}
        position="right"
        size="lg"
        title={shown ? `Event ${shown.seq}: ${shown.action}` : ''}
      >
        {opened && shown && (
          <Code block aria-label="Event JSON" tabIndex={0}>
            {JSON.stringify(shown, null, 2)}
          </Code>
        )}
      </Drawer>
    </Stack>
  );
}
