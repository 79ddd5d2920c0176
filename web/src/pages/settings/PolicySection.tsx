import { Box, Button, Checkbox, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../api/me';
import type { Policy } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { fieldError } from '../../components/FieldErrors';
import { Missing } from '../../components/Missing';
import { ProjectSelect } from '../../components/ProjectSelect';

const TIERS = ['development', 'staging', 'production'] as const;
const ACTIONS = [
  { value: 'apply', label: 'Apply' },
  { value: 'rollback', label: 'Rollback' },
  { value: 'install', label: 'Install' },
] as const;
type Action = Policy['tickets']['production'][number];

/** A project's approval policy: which actions need a ticket per tier, and how long things live. */
export function PolicySection() {
  const me = useMe();
  const queries = useQueryClient();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  const [chosen, setChosen] = useState<string | null>(null);
  const projectId = chosen ?? projects.data?.items[0]?.id ?? null;
  const policy = useQuery({
    queryKey: ['policy', projectId],
    queryFn: () => ok(api.GET('/projects/{id}/policy', { params: { path: { id: projectId ?? '' } } })),
    enabled: projectId !== null,
  });
  const [draft, setDraft] = useState<Policy | null>(null);
  useEffect(() => setDraft(policy.data ?? null), [policy.data]);
  const save = useMutation({
    mutationFn: (p: Policy) =>
      ok(api.PUT('/projects/{id}/policy', { params: { path: { id: projectId ?? '' } }, body: p })),
    onSuccess: (p) => queries.setQueryData(['policy', projectId], p),
  });
  const mayWrite = can(me.data, 'policy:write', projectId);
  return (
    <Paper withBorder p="md" component="section" aria-label="Approval policy">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (draft) save.mutate(draft);
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            Approval policy
          </Title>
          <Box maw={560}>
            <ProjectSelect value={projectId} onChange={(v) => v && setChosen(v)} />
          </Box>
          <ErrorNote error={policy.error} title="Policy not readable" />
          {draft && (
            <>
              <Text size="sm">Which actions need an approved ticket, per environment tier:</Text>
              {TIERS.map((tier) => (
                <Checkbox.Group
                  key={tier}
                  label={`Tickets in ${tier}`}
                  value={draft.tickets[tier]}
                  onChange={(v) =>
                    setDraft({ ...draft, tickets: { ...draft.tickets, [tier]: v as Action[] } })
                  }
                  error={fieldError(save.error, `tickets.${tier}`)}
                >
                  <Group mt={4}>
                    {ACTIONS.map((a) => (
                      <Checkbox key={a.value} value={a.value} label={a.label} disabled={!mayWrite} />
                    ))}
                  </Group>
                </Checkbox.Group>
              ))}
              <Group grow maw={560}>
                <NumberInput
                  label="Preview lifetime (seconds)"
                  min={1}
                  max={86_400}
                  value={draft.preview_ttl_seconds}
                  onChange={(v) => setDraft({ ...draft, preview_ttl_seconds: Number(v) })}
                  error={fieldError(save.error, 'preview_ttl_seconds')}
                  disabled={!mayWrite}
                />
                <NumberInput
                  label="Ticket lifetime (seconds)"
                  min={1}
                  max={7 * 86_400}
                  value={draft.ticket_ttl_seconds}
                  onChange={(v) => setDraft({ ...draft, ticket_ttl_seconds: Number(v) })}
                  error={fieldError(save.error, 'ticket_ttl_seconds')}
                  disabled={!mayWrite}
                />
              </Group>
              <Checkbox
                label="CI/CD policies act on builds"
                description="Off stops every automatic preview, apply and rollback; webhooks are still recorded."
                checked={draft.ci_triggers_enabled}
                onChange={(e) => setDraft({ ...draft, ci_triggers_enabled: e.currentTarget.checked })}
                disabled={!mayWrite}
              />
              <ErrorNote error={save.error} title="Not saved" />
              <Group>
                <Button type="submit" loading={save.isPending} disabled={!mayWrite}>
                  Save policy
                </Button>
                {!mayWrite && <Missing what="change the policy" permission="policy:write" />}
                {save.isSuccess && <Text size="sm">Saved.</Text>}
              </Group>
            </>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
