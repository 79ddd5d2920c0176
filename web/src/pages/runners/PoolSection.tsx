import { Badge, Button, Group, Paper, Popover, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { RunnerPool as Pool, Runner } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { ShownOnce } from '../../components/ShownOnce';
import { TableScroll } from '../../components/TableScroll';

/** What an operator runs next to their hosts; the token in it works once and expires. */
export const registrationCommand = (origin: string, token: string) =>
  `npm run runner -- --api ${origin} --registration-token ${token} --state-dir ./runner-state`;

export function RunnerState({ runner }: { runner: Runner }) {
  if (runner.revoked_at)
    return (
      <Badge color="red" variant="outline">
        revoked
      </Badge>
    );
  return runner.online ? <Badge color="teal">online</Badge> : <Badge color="gray">offline</Badge>;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/** One pool: its runners with their state, and (for runner:admin) tokens, revoke and rotate. */
export function PoolSection(props: {
  pool: Pool;
  projectName: string;
  runners: Runner[];
  mayAdmin: boolean;
}) {
  const { pool, runners, mayAdmin } = props;
  const queries = useQueryClient();
  const [shown, setShown] = useState<{ title: string; value: string; hint: string } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['runners'] });
  // gcTime 0: a token the API shows once leaves memory with this section, not minutes later.
  const mint = useMutation({
    gcTime: 0,
    mutationFn: () =>
      ok(api.POST('/runner-pools/{id}/registration-tokens', { params: { path: { id: pool.id } }, body: {} })),
    onSuccess: (t) =>
      setShown({
        title: 'Registration command',
        value: registrationCommand(window.location.origin, t.token),
        hint: `Run this where the runner will live. The token works once, until ${when(t.expires_at)}, and is not shown again.`,
      }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.POST('/runners/{id}/revoke', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    gcTime: 0,
    mutationFn: (id: string) => ok(api.POST('/runners/{id}/rotate-token', { params: { path: { id } } })),
    onSuccess: (t) => {
      setShown({
        title: 'New runner token',
        value: t.runner_token,
        hint: `The old token of ${t.runner_id} stopped working. Put this one in runner_token of the runner's identity.json and restart it; it is not shown again.`,
      });
      void refresh();
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={`Pool ${pool.name}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              {pool.name}
            </Title>
            <Text size="sm" c="dimmed">
              {pool.id} · {props.projectName}
            </Text>
          </div>
          {mayAdmin && (
            <Button size="xs" onClick={() => mint.mutate()} loading={mint.isPending}>
              New registration token
            </Button>
          )}
        </Group>
        {shown && <ShownOnce {...shown} onDismiss={() => setShown(null)} />}
        <ErrorNote error={mint.error ?? revoke.error ?? rotate.error} />
        {runners.length === 0 ? (
          <Text size="sm" c="dimmed">
            No runner has registered to this pool yet.
          </Text>
        ) : (
          <TableScroll label={`Runners of ${pool.name}`} minWidth={600}>
            <Table aria-label={`Runners of ${pool.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Runner</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Last heartbeat</Table.Th>
                  <Table.Th>Jobs</Table.Th>
                  {mayAdmin && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runners.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      {r.name}
                      <Text size="xs" c="dimmed">
                        {r.version ?? 'version unknown'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RunnerState runner={r} />
                    </Table.Td>
                    <Table.Td>{when(r.last_seen_at)}</Table.Td>
                    <Table.Td>{r.current_jobs.length}</Table.Td>
                    {mayAdmin && (
                      <Table.Td>
                        {!r.revoked_at && (
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => rotate.mutate(r.id)}
                              aria-label={`Rotate token of ${r.name}`}
                            >
                              Rotate token
                            </Button>
                            <Confirm label={`Revoke ${r.name}`} onConfirm={() => revoke.mutate(r.id)}>
                              Its token stops working at once; the runner exits and must register again.
                            </Confirm>
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Stack>
    </Paper>
  );
}

/** A destructive action behind a second click that says what it does. */
function Confirm(props: { label: string; onConfirm: () => void; children: React.ReactNode }) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" color="red" variant="outline" onClick={() => setOpened((o) => !o)}>
          Revoke
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={280}>
        <Stack gap="xs">
          <Text size="sm">{props.children}</Text>
          <Button
            size="xs"
            color="red"
            onClick={() => {
              setOpened(false);
              props.onConfirm();
            }}
          >
            {props.label}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
