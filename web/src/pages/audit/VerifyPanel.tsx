import { Alert, Button, Group, List, Paper, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { AuditVerdict } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { Missing } from '../../components/Missing';

/** Verify walks the whole chain, which only a reader of every project may see. */
export function VerifyPanel({ mayVerify }: { mayVerify: boolean }) {
  const verify = useMutation({ mutationFn: () => ok(api.GET('/audit/verify')) });
  return (
    <Paper withBorder p="md" component="section" aria-label="Verify the audit chain">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Chain integrity
          </Title>
          <Button onClick={() => verify.mutate()} loading={verify.isPending} disabled={!mayVerify}>
            Verify
          </Button>
        </Group>
        {!mayVerify && <Missing what="verify the whole chain" permission="audit:read (in all projects)" />}
        <ErrorNote error={verify.error} title="Could not verify" />
        {verify.data && <Verdict v={verify.data} />}
      </Stack>
    </Paper>
  );
}

/** The verdict in words: what was proven, what broke first, and what cannot be proven yet. */
export function Verdict({ v }: { v: AuditVerdict }) {
  const tail = v.unanchored_tail;
  return (
    <Alert
      color={v.ok ? 'teal' : 'red'}
      title={v.ok ? 'Verified: ok' : 'Verification failed'}
      role="status"
      aria-label="Verify result"
      data-testid="verify-result"
      // The light alert's tinted title falls below WCAG contrast; the tint stays in the background.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <List size="sm" spacing={2}>
        <List.Item>{v.count} events checked (hash chain and MACs).</List.Item>
        {v.first_bad_event_id && (
          <List.Item>
            First changed or missing event: <b>{v.first_bad_event_id}</b>
          </List.Item>
        )}
        {v.truncated_after && (
          <List.Item>
            Events were cut off after <b>{v.truncated_after}</b>: a checkpoint names later ones.
          </List.Item>
        )}
        <List.Item>
          {tail.count === 0
            ? 'Every event is covered by a checkpoint kept outside the database.'
            : `${tail.count} event${tail.count === 1 ? '' : 's'} since ${
                tail.since ? new Date(tail.since).toLocaleString() : '—'
              } come after the last checkpoint kept outside the database: checked, but a cut among them could not be proven yet.`}
        </List.Item>
      </List>
    </Alert>
  );
}
