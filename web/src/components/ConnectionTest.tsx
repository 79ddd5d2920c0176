import { Badge, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';

type LastTestValue = Record<string, unknown> | null;
type Tested = { id: string; last_test: LastTestValue };

/**
 * Test connection is a job on the resource's runner pool (`202 {job_id}`); its result lands in
 * the resource's `last_test` with that job's id. The page polls its list while a test it started
 * has not reported (`polling`), and `useSettledTests` ends the wait once the list shows the result.
 */
export function useConnectionTests(queue: (id: string) => Promise<{ job_id: string }>) {
  const [waiting, setWaiting] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const start = useMutation({
    mutationFn: async (id: string) => ({ id, ...(await queue(id)) }),
    onMutate: (id) => setErrors(({ [id]: _, ...rest }) => rest),
    onSuccess: ({ id, job_id }) => setWaiting((w) => ({ ...w, [id]: job_id })),
    onError: (e, id) => setErrors((x) => ({ ...x, [id]: e })),
  });
  return {
    /** For the list's `refetchInterval`. */
    polling: Object.keys(waiting).length > 0,
    start: (id: string) => start.mutate(id),
    waitingFor: (id: string): string | undefined => waiting[id],
    starting: (id: string) => start.isPending && start.variables === id,
    errorOf: (id: string) => errors[id],
    settle: (items: Tested[]) => {
      const done = new Set(
        items.filter((i) => waiting[i.id] && i.last_test?.job_id === waiting[i.id]).map((i) => i.id),
      );
      if (done.size) setWaiting((w) => Object.fromEntries(Object.entries(w).filter(([id]) => !done.has(id))));
    },
  };
}

export function useSettledTests(tests: ReturnType<typeof useConnectionTests>, items: Tested[] | undefined) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: settle is new each render; the list is what changes
  useEffect(() => {
    if (items) tests.settle(items);
  }, [items, tests.polling]);
}

/** The button and what came of the last test, in one table cell. */
export function ConnectionTestCell(props: {
  name: string;
  lastTest: LastTestValue;
  tests: ReturnType<typeof useConnectionTests>;
  id: string;
  allowed: boolean;
  /** Names for the hops of a test through a jump host. */
  nameOf?: (id: string) => string;
}) {
  const { tests, id } = props;
  const job = tests.waitingFor(id);
  const error = tests.errorOf(id);
  return (
    <Stack gap={4} align="flex-start">
      {job ? (
        <Text size="sm" role="status">
          Testing… (job {job})
        </Text>
      ) : (
        <LastTest value={props.lastTest} nameOf={props.nameOf} />
      )}
      {error !== undefined && (
        <Text size="sm" c="red" role="alert">
          {error instanceof ApiError ? `${error.message} (${error.code})` : String(error)}
        </Text>
      )}
      {props.allowed ? (
        <Button
          size="xs"
          variant="default"
          aria-label={`Test connection to ${props.name}`}
          loading={tests.starting(id) || Boolean(job)}
          onClick={() => tests.start(id)}
        >
          Test connection
        </Button>
      ) : (
        <Text size="xs" c="dimmed">
          Testing needs credential:test.
        </Text>
      )}
    </Stack>
  );
}

type Hop = { host_id: string; ok: boolean | null; error_code: string | null };

/** A test through a jump host: each hop and how it went, the jump host first. */
function Hops({ hops, nameOf }: { hops: Hop[]; nameOf?: (id: string) => string }) {
  return (
    <Text size="xs" aria-label="Hops">
      {hops
        .map((h, i) => {
          const what = `${i === 0 ? 'jump' : 'target'} ${nameOf?.(h.host_id) ?? h.host_id}`;
          const how = h.ok === null ? 'not reached' : h.ok ? 'ok' : (h.error_code ?? 'failed');
          return `${what}: ${how}`;
        })
        .join(' → ')}
    </Text>
  );
}

export function LastTest({ value, nameOf }: { value: LastTestValue; nameOf?: (id: string) => string }) {
  if (!value)
    return (
      <Text size="sm" c="dimmed">
        never tested
      </Text>
    );
  const when = typeof value.tested_at === 'string' ? new Date(value.tested_at).toLocaleString() : '';
  const details = [
    typeof value.version === 'string' ? value.version : null,
    typeof value.latency_ms === 'number' ? `${value.latency_ms} ms` : null,
    typeof value.error_code === 'string' ? value.error_code : null,
  ].filter(Boolean);
  return (
    <Stack gap={2}>
      <Badge color={value.reachable ? 'teal.9' : 'red'} variant="light">
        {value.reachable ? 'reachable' : 'unreachable'}
      </Badge>
      <Text size="xs">{[...details, when].filter(Boolean).join(' · ')}</Text>
      {Array.isArray(value.hops) && <Hops hops={value.hops as Hop[]} nameOf={nameOf} />}
    </Stack>
  );
}
