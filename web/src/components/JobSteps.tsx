import { Accordion, Badge, Code, Group, Text } from '@mantine/core';
import type { JobStep } from '../api/types';

const COLOR: Record<JobStep['status'], string> = {
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  skipped: 'gray',
};

const time = (t: string | null) => (t ? new Date(t).toLocaleTimeString() : '—');

/**
 * A job's steps, each with its status, host, attempt, times and error code and, folded away, the
 * output excerpt the platform kept (masked before it was stored). `noOutput`: what to say where
 * a step has none (retention may have removed it).
 */
export function JobSteps({
  steps,
  noOutput = 'No output kept.',
  hostNames = {},
}: {
  steps: JobStep[];
  noOutput?: string;
  /** Host names by id, where the reader may read hosts; the id stands in otherwise. */
  hostNames?: Record<string, string>;
}) {
  if (steps.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No step reported yet.
      </Text>
    );
  return (
    <Accordion multiple variant="separated" chevronPosition="left">
      {steps.map((s) => {
        const host = s.host_id ? (hostNames[s.host_id] ?? s.host_id) : null;
        return (
          <Accordion.Item key={s.id} value={s.id}>
            <Accordion.Control aria-label={`Step ${s.name}${host ? ` on ${host}` : ''}: ${s.status}`}>
              <Group gap="xs" wrap="wrap">
                <Text size="sm" ff="monospace">
                  {s.name}
                </Text>
                <Badge color={COLOR[s.status]} variant="filled">
                  {s.status}
                </Badge>
                <Text size="xs">attempt {s.attempt}</Text>
                {host && (
                  <Text size="xs" c="dimmed" title={s.host_id ?? undefined}>
                    host {host}
                  </Text>
                )}
                {s.error_code && (
                  // red 8 falls under 4.5:1 on the accordion's grey; the theme's error shade does not.
                  <Text size="xs" c="var(--mantine-color-error)">
                    {s.error_code}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {time(s.started_at)} – {time(s.finished_at)}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {s.output ? (
                <Code
                  block
                  tabIndex={0}
                  aria-label={`Output of ${s.name}`}
                  style={{ maxHeight: 320, overflow: 'auto' }}
                >
                  {s.output}
                </Code>
              ) : (
                <Text size="sm" c="dimmed">
                  {noOutput}
                </Text>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
