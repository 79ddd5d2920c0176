import { Alert, Anchor, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import type { Credential } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { WRAP } from './PayloadFields';

export type Revealed = { name: string; payload: Record<string, unknown> };
type RevealTicket = { id: string; status: string };
type Answer = Record<string, unknown>;

/**
 * The caller's own reveal tickets (the inbox's `mine=true`), newest first. Polled while one waits
 * for a decision, so "View once" appears without a reload when someone approves it.
 */
export function useMyRevealTickets(enabled: boolean) {
  return useQuery({
    queryKey: ['inbox', 'mine', 'reveal'],
    queryFn: async () =>
      (
        await ok(api.GET('/approvals/inbox', { params: { query: { mine: 'true', limit: 200 } } }))
      ).items.filter((t) => t.kind === 'credential_reveal'),
    enabled,
    refetchInterval: (q) => (q.state.data?.some((t) => t.status === 'pending') ? 5000 : false),
  });
}

/**
 * Reveal (SPEC §4): a request opens a ticket someone else decides in the inbox; once approved, the
 * requester collects the payload, once. The cell shows where the latest request stands.
 */
export function RevealCell(props: {
  credential: Credential;
  latest: RevealTicket | undefined;
  onRevealed: (r: Revealed) => void;
}) {
  const { credential: c, latest } = props;
  const queries = useQueryClient();
  const refresh = () => queries.invalidateQueries({ queryKey: ['inbox', 'mine', 'reveal'] });
  const request = useMutation({
    mutationFn: async (): Promise<{ approval_ticket: string }> => {
      const r: Answer = await ok(
        api.POST('/credentials/{id}/reveal', { params: { path: { id: c.id } }, body: {} }),
      );
      if (typeof r.approval_ticket !== 'string') throw new Error('the platform answered without a ticket');
      return { approval_ticket: r.approval_ticket };
    },
    onSuccess: refresh,
  });
  const collect = useMutation({
    mutationFn: async (ticket: string): Promise<{ payload: Record<string, unknown> }> => {
      const r: Answer = await ok(
        api.POST('/credentials/{id}/reveal', {
          params: { path: { id: c.id } },
          body: { approval_ticket: ticket },
        }),
      );
      if (typeof r.payload !== 'object' || r.payload === null)
        throw new Error('the ticket is not approved yet');
      return { payload: r.payload as Record<string, unknown> };
    },
    onSuccess: (r) => {
      props.onRevealed({ name: c.name, payload: r.payload });
      void refresh();
    },
    onError: refresh,
  });
  const ticket: RevealTicket | undefined =
    latest ?? (request.data && { id: request.data.approval_ticket, status: 'pending' });
  const link = ticket && (
    <Anchor component={Link} to={`/inbox/${ticket.id}`} size="sm">
      {ticket.id}
    </Anchor>
  );
  return (
    <Stack gap={4} align="flex-start">
      {ticket?.status === 'pending' && <Text size="sm">Reveal waiting for approval: {link}</Text>}
      {ticket?.status === 'approved' ? (
        <Button
          size="xs"
          color="orange"
          aria-label={`View ${c.name} once`}
          loading={collect.isPending}
          onClick={() => collect.mutate(ticket.id)}
        >
          View once
        </Button>
      ) : (
        ticket?.status !== 'pending' && (
          <>
            {ticket && (
              <Text size="xs" c="dimmed">
                Last reveal {ticket.status}: {link}
              </Text>
            )}
            <Button
              size="xs"
              variant="default"
              aria-label={`Request reveal of ${c.name}`}
              loading={request.isPending}
              onClick={() => request.mutate()}
            >
              Request reveal
            </Button>
          </>
        )
      )}
      <ErrorNote error={request.error ?? collect.error} title="Reveal refused" />
    </Stack>
  );
}

/** The payload, once: nothing keeps it after the modal closes. */
export function RevealModal(props: { revealed: Revealed | null; onClose: () => void }) {
  const r = props.revealed;
  return (
    <Modal opened={r !== null} onClose={props.onClose} title={r ? `Credential ${r.name}` : ''} size="lg">
      {r && (
        <Stack>
          <Alert color="orange" title="Shown once">
            The platform will not show this again: the approval is used up. Copy what you need now; closing
            this window discards it.
          </Alert>
          {Object.entries(r.payload).map(([k, v]) => {
            const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
            return (
              <Stack key={k} gap={4}>
                <Group justify="space-between">
                  <Text fw={600} size="sm">
                    {k}
                  </Text>
                  <CopyButton value={text}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="default" onClick={copy} aria-label={`Copy ${k}`}>
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
                <Code block style={WRAP}>
                  {text}
                </Code>
              </Stack>
            );
          })}
          <Group justify="flex-end">
            <Button onClick={props.onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
