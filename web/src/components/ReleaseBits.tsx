import { Badge, List, Table, Text, ThemeIcon } from '@mantine/core';
import type { Release } from '../api/types';

const RISK_COLOR = { low: 'teal', medium: 'yellow', high: 'red', critical: 'grape' } as const;
const CHECK_COLOR = { pass: 'teal', warn: 'yellow', fail: 'red' } as const;
const STATE_COLOR: Record<string, string> = {
  preview: 'gray',
  pending_approval: 'indigo',
  approved: 'blue',
  applying: 'blue',
  applied: 'teal',
  failed: 'red',
  rejected: 'red',
  expired: 'gray',
  cancelled: 'gray',
  rollback: 'grape',
};

export function RiskBadge({ level }: { level: Release['risk_level'] | null }) {
  if (!level) return null;
  return (
    <Badge color={RISK_COLOR[level]} variant="filled" aria-label={`Risk ${level}`}>
      risk {level}
    </Badge>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge color={STATE_COLOR[state] ?? 'gray'} variant="filled" data-testid="lifecycle-state">
      {state.replace('_', ' ')}
    </Badge>
  );
}

/** How old what a check relies on is, as a reader says it. */
function ageText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'never seen';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function ChecksList({ checks }: { checks: Release['checks'] }) {
  return (
    <List spacing={4} aria-label="Checks">
      {checks.map((c) => (
        <List.Item
          // Names repeat (one access check per host): the detail names the host.
          key={`${c.name}-${c.detail}`}
          icon={
            <ThemeIcon color={CHECK_COLOR[c.status]} size={18} radius="xl">
              <Text size="xs" fw={700} c="white" aria-hidden>
                {c.status === 'pass' ? '✓' : c.status === 'warn' ? '!' : '×'}
              </Text>
            </ThemeIcon>
          }
        >
          <Text size="sm">
            <b>{c.name}</b> — {c.status}: {c.detail}
          </Text>
          {c.source && (
            <Text size="xs" c="dimmed">
              from {c.source}, {ageText(c.age_seconds)}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

/** The structured summary beside the text diff: what an approver scans first. */
export function DiffSummary({ summary }: { summary: Release['diff']['summary'] }) {
  const rows: [string, string][] = [
    ...summary.images_changed.map(
      (i) => [`image ${i.resource}/${i.container}`, `${i.from ?? '—'} → ${i.to ?? '—'}`] as [string, string],
    ),
    ...summary.replicas_changed.map(
      (r) => [`replicas ${r.resource}`, `${r.from ?? '—'} → ${r.to ?? '—'}`] as [string, string],
    ),
    ...summary.resources_added.map((r) => ['added', r] as [string, string]),
    ...summary.resources_removed.map((r) => ['removed', r] as [string, string]),
    ...summary.scaled_to_zero.map((r) => ['scaled to zero', r] as [string, string]),
    ...summary.secret_variables.map(
      (s) => [`secret variable ${s.name}`, `*** ${s.change}`] as [string, string],
    ),
    ...summary.secrets.map((s) => [`secret ${s.name}.${s.key}`, `*** ${s.change}`] as [string, string]),
  ];
  if (!rows.length) return null;
  return (
    <Table withTableBorder striped aria-label="Summary of the change">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={`${k}:${v}`}>
            <Table.Td>{k}</Table.Td>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Why the release rates its risk: what an approver should look at first. */
export function RiskReasons({ reasons }: { reasons: Release['risk_reasons'] }) {
  if (!reasons.length) return null;
  return (
    <List size="sm" aria-label="Risk reasons">
      {reasons.map((r) => (
        <List.Item key={`${r.rule}:${r.detail}`}>
          <Text size="sm">
            <b>{r.rule.replaceAll('_', ' ')}</b>: {r.detail}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
