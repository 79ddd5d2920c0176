import { Alert, Code, Stack, Text, Title } from '@mantine/core';
import type { Release } from '../../api/types';

type Fields = Record<string, unknown>;

const text = (d: Fields, k: string) =>
  typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : null;

/**
 * The host that failed: compose releases report per host (`hosts[]`), the failing one carrying
 * `failed_step` and the command's own output; other runtimes report at the top level.
 */
function failingHost(d: Fields): Fields | null {
  const hosts = Array.isArray(d.hosts) ? (d.hosts as unknown[]) : [];
  const failed = hosts.find(
    (h): h is Fields => typeof h === 'object' && h !== null && 'failed_step' in (h as Fields),
  );
  return failed ?? null;
}

/**
 * What retention left, in words: a trimmed release's diagnostics are only its summary, and its
 * steps' output is gone. The days come from the summary itself (the retention when it was cut).
 */
export function trimmedNote(release: Release): string | null {
  if (!release.diagnostics_trimmed) return null;
  const days = release.diagnostics_json?.retention_days;
  return typeof days === 'number'
    ? `Output older than ${days} days was removed.`
    : 'Output past the retention period was removed.';
}

/** What went wrong, as the host said it, and the whole payload for whoever needs more. */
export function Diagnostics({ release }: { release: Release }) {
  const d = release.diagnostics_json;
  if (!d) return null;
  const host = failingHost(d) ?? {};
  const pick = (k: string) => text(d, k) ?? text(host, k);
  const summary = [
    ['Error', pick('error_code')],
    ['Step', pick('failed_step') ?? pick('step')],
    ['Host', pick('host') ?? pick('host_id')],
    ['Command', pick('failed_command')],
    ['Exit code', pick('exit_code')],
    ['Message', pick('message')],
  ].filter(([, v]) => v) as [string, string][];
  // The host's own words (the engine's error) are the first thing someone fixing it needs.
  const said = text(host, 'stderr_tail') ?? text(d, 'stderr_tail');
  const failed = release.lifecycle_state === 'failed';
  const trimmed = trimmedNote(release);
  return (
    <Stack gap={4} mt="sm" component="section" aria-label="Diagnostics">
      <Title order={3} size="h5">
        Diagnostics
      </Title>
      {trimmed && (
        <Text size="sm" c="dimmed" data-testid="diagnostics-trimmed">
          {trimmed} The summary is kept.
        </Text>
      )}
      {summary.map(([k, v]) => (
        <Text size="sm" key={k} style={{ wordBreak: 'break-word' }}>
          <b>{k}:</b> <span data-testid={`diagnostic-${k.toLowerCase().replace(' ', '-')}`}>{v}</span>
        </Text>
      ))}
      {said && (
        <Alert
          color={failed ? 'red' : 'gray'}
          variant="light"
          title="What the host said"
          data-testid="diagnostic-host-output"
        >
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {said}
          </Code>
        </Alert>
      )}
      <details>
        <summary>{trimmed ? 'Kept diagnostics' : 'Raw diagnostics'}</summary>
        <Code block>{JSON.stringify(d, null, 2)}</Code>
      </details>
    </Stack>
  );
}
