import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../../api/client';
import type { InstallDrift as Report } from '../../../api/types';
import { ErrorNote } from '../../../components/ErrorNote';
import { TableScroll } from '../../../components/TableScroll';

type DriftHost = Report['hosts'][number];

const POLL_MS = 1500;
const DRIFT_COLOR = { none: 'teal', changed: 'orange', missing: 'red' } as const;
/** Changed and missing rows stand out; matching ones stay plain. */
const FILE_BG = { changed: 'var(--mantine-color-orange-light)', missing: 'var(--mantine-color-red-light)' };

const short = (sha: string | null) => (sha ? sha.slice(0, 12) : '—');

function HostDrift({ host, name }: { host: DriftHost; name: string }) {
  const off = host.files.filter((f) => f.state === 'changed' || f.state === 'missing');
  return (
    <Stack gap="xs" data-testid={`drift-${host.host_id}`} data-drift={host.drift ?? 'unknown'}>
      <Group gap="xs">
        <Text fw={600}>{name}</Text>
        {host.drift ? (
          <Badge color={DRIFT_COLOR[host.drift]} variant="filled">
            {host.drift === 'none' ? 'no drift' : host.drift}
          </Badge>
        ) : (
          <Badge color="gray">{host.error_code ? `not read: ${host.error_code}` : 'reading'}</Badge>
        )}
        <Text size="sm" c="dimmed">
          {host.runtime} {host.version} under {host.prefix} · {host.files.length} files
          {host.drift ? `, ${off.length} differ` : ''}
        </Text>
      </Group>
      {host.drift && host.drift !== 'none' && (
        <TableScroll label={`Drifted files on ${name}`} minWidth={560}>
          <Table aria-label={`Drifted files on ${name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Expected sha256</Table.Th>
                <Table.Th>On the host</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {off.map((f) => (
                <Table.Tr
                  key={f.path}
                  data-state={f.state}
                  style={{ background: FILE_BG[f.state as keyof typeof FILE_BG] }}
                >
                  <Table.Td>
                    <Code>{f.path}</Code>
                  </Table.Td>
                  <Table.Td>{f.state}</Table.Td>
                  <Table.Td title={f.expected_sha256}>
                    <Code>{short(f.expected_sha256)}</Code>
                  </Table.Td>
                  <Table.Td title={f.actual_sha256 ?? 'the file is gone'}>
                    <Code>{short(f.actual_sha256)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Stack>
  );
}

/**
 * Drift (SPEC §7.4): asks a runner to re-read every installed file on the environment's hosts and
 * shows, per host, whether they still match what the install recorded.
 */
export function InstallDrift(props: { environmentId: string; hostName: (id: string) => string }) {
  const { environmentId: id } = props;
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => ok(api.POST('/environments/{id}/install/verify', { params: { path: { id } } })),
    onSuccess: (r) => setJobId(r.job_id),
  });
  const report = useQuery({
    queryKey: ['install-drift', id, jobId],
    queryFn: () =>
      ok(
        api.GET('/environments/{id}/install/verify/{job_id}', {
          params: { path: { id, job_id: jobId! } },
        }),
      ),
    enabled: Boolean(jobId),
    refetchInterval: (q) =>
      !q.state.data || ['queued', 'running'].includes(q.state.data.status) ? POLL_MS : false,
  });
  const r = report.data;
  const moving = Boolean(jobId) && (!r || r.status === 'queued' || r.status === 'running');
  return (
    <Paper withBorder p="md" component="section" aria-label="Drift">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Drift
          </Title>
          <Button onClick={() => start.mutate()} loading={start.isPending || moving}>
            Verify install
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          Compares every file the last install put on each host with its sha256 as recorded then.
        </Text>
        <ErrorNote error={start.error} title="Not verified" />
        <ErrorNote error={report.error} title="No report" />
        {r && (
          <Stack gap="md">
            <Text size="sm" data-testid="drift-status">
              Verify job {r.status}
              {r.finished_at ? `, ${new Date(r.finished_at).toLocaleString()}` : ''}
            </Text>
            {r.hosts.map((h) => (
              <HostDrift key={h.host_id} host={h} name={props.hostName(h.host_id)} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
