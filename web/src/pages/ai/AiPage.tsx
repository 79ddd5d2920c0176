import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../../api/client';
import type { AiCommand } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { Loading } from '../../components/Loading';
import { ChecksList, DiffSummary, RiskBadge, RiskReasons } from '../../components/ReleaseBits';
import { TableScroll } from '../../components/TableScroll';

/** The same diff view as the Deploy page, fetched only once a command has a preview. */
const DiffView = lazy(() => import('../../components/DiffView').then((m) => ({ default: m.DiffView })));

const STATUS_COLOR: Record<AiCommand['status'], string> = {
  needs_input: 'yellow',
  refused: 'red',
  answered: 'blue',
  previewed: 'indigo',
  confirmed: 'teal',
  failed: 'red',
};

const EXAMPLES = [
  'deploy web 1.30 to development',
  'roll back web in production',
  'what is running in staging?',
  'pending approvals for shop',
];

/** A question's free answer (a variable nobody has a value for): typed, then sent. */
function FreeAnswer({
  field,
  prompt,
  onAnswer,
}: {
  field: string;
  prompt: string;
  onAnswer: (v: string) => void;
}) {
  const [value, setValue] = useState('');
  return (
    <Group align="flex-end">
      <TextInput
        label={prompt}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        name={field}
      />
      <Button variant="outline" disabled={!value} onClick={() => onAnswer(value)}>
        Answer
      </Button>
    </Group>
  );
}

function CommandView({ command, onChange }: { command: AiCommand; onChange: (c: AiCommand) => void }) {
  const navigate = useNavigate();
  const answer = useMutation({
    mutationFn: (answers: Record<string, string>) =>
      ok(api.POST('/ai/commands/{id}/answer', { params: { path: { id: command.id } }, body: { answers } })),
    onSuccess: onChange,
  });
  const confirm = useMutation({
    mutationFn: () => ok(api.POST('/ai/commands/{id}/confirm', { params: { path: { id: command.id } } })),
    onSuccess: (c) => navigate(`/releases/${c.release_id}`),
  });
  const preview = command.preview;
  return (
    <Stack gap="sm" component="section" aria-label="Command result">
      <Group>
        <Title order={2} size="h3">
          {command.intent === 'unknown' ? 'Not done' : `Plan: ${command.intent.replace('_', ' ')}`}
        </Title>
        <Badge color={STATUS_COLOR[command.status]}>{command.status.replace('_', ' ')}</Badge>
      </Group>
      {command.reason && (
        <Alert
          color={command.status === 'refused' || command.status === 'failed' ? 'red' : 'blue'}
          title="Reason"
        >
          {command.reason}
        </Alert>
      )}
      {command.plan.length > 0 && (
        <List type="ordered" aria-label="Plan">
          {command.plan.map((s) => (
            <List.Item key={s.step}>
              <Code>{s.tool}</Code> {s.summary}
            </List.Item>
          ))}
        </List>
      )}
      {command.questions?.map((q) =>
        q.choices.length ? (
          <Stack key={q.field} gap="xs" role="group" aria-label={q.prompt}>
            <Text fw={500}>{q.prompt}</Text>
            <Group>
              {q.choices.map((c) => (
                <Button key={c.value} variant="light" onClick={() => answer.mutate({ [q.field]: c.value })}>
                  {c.label}
                </Button>
              ))}
            </Group>
          </Stack>
        ) : (
          <FreeAnswer
            key={q.field}
            field={q.field}
            prompt={q.prompt}
            onAnswer={(v) => answer.mutate({ [q.field]: v })}
          />
        ),
      )}
      <ErrorNote error={answer.error} title="Answer refused" />
      {command.result && <Result result={command.result} />}
      {preview && (
        <Stack gap="sm" aria-label="Preview" component="section">
          <Group>
            <Title order={3} size="h4">
              Preview
            </Title>
            <RiskBadge level={preview.risk_level} />
            {preview.approval_required && (
              <Text size="sm">Confirming opens an approval ticket in the inbox.</Text>
            )}
          </Group>
          <RiskReasons reasons={preview.risk_reasons} />
          <ChecksList checks={preview.checks} />
          <DiffSummary summary={preview.diff.summary} />
          <Suspense fallback={<Loading />}>
            <DiffView unified={preview.diff.unified} />
          </Suspense>
          <ErrorNote error={confirm.error} title="Confirm refused" />
          {command.status === 'previewed' && (
            <Group>
              <Button color="teal" onClick={() => confirm.mutate()} loading={confirm.isPending}>
                Confirm
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** What a status, list or explain_failure command found, as a small table of names and states. */
function Result({ result }: { result: Record<string, unknown> }) {
  const rows = (
    Array.isArray(result.targets) ? result.targets : Array.isArray(result.tickets) ? result.tickets : null
  ) as Record<string, unknown>[] | null;
  if (!rows) {
    return (
      <Table aria-label="Answer">
        <Table.Tbody>
          {Object.entries(result).map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th>{k.replace(/_/g, ' ')}</Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{v === null ? '—' : String(v)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  }
  if (!rows.length) return <Text>Nothing found.</Text>;
  const keys = Object.keys(rows[0]!);
  return (
    <TableScroll label="Answer" minWidth={560}>
      <Table aria-label="Answer">
        <Table.Thead>
          <Table.Tr>
            {keys.map((k) => (
              <Table.Th key={k}>{k.replace(/_/g, ' ')}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={String(r.id ?? r.target_id ?? i)}>
              {keys.map((k) => (
                <Table.Td key={k}>{r[k] === null ? '—' : String(r[k])}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}

export default function AiPage() {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [current, setCurrent] = useState<AiCommand | null>(null);
  const history = useQuery({ queryKey: ['ai-commands'], queryFn: () => ok(api.GET('/ai/commands')) });
  const show = (c: AiCommand) => {
    setCurrent(c);
    void client.invalidateQueries({ queryKey: ['ai-commands'] });
  };
  const send = useMutation({
    mutationFn: () => ok(api.POST('/ai/commands', { body: { text } })),
    onSuccess: show,
  });
  return (
    <Stack>
      <PageTitle>Command center</PageTitle>
      <form
        aria-label="Command"
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <Stack gap="xs">
          <Textarea
            label="Command"
            description={`For example: ${EXAMPLES.join(' · ')}`}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={1000}
          />
          <Group>
            <Button type="submit" disabled={!text.trim()} loading={send.isPending}>
              Send
            </Button>
            <Text size="xs" c="dimmed">
              The bridge previews; nothing changes until you confirm, and approvals stay in the inbox.
            </Text>
          </Group>
        </Stack>
      </form>
      <ErrorNote error={send.error} title="Command refused" />
      {current && <CommandView key={current.id + current.updated_at} command={current} onChange={show} />}
      <Title order={2} size="h3">
        Your commands
      </Title>
      <ErrorNote error={history.error} />
      <TableScroll label="Your commands" minWidth={560}>
        <Table aria-label="Your commands">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Command</Table.Th>
              <Table.Th>Intent</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>When</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data?.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => setCurrent(c)}>
                    {c.text}
                  </Button>
                </Table.Td>
                <Table.Td>{c.intent}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[c.status]}>{c.status.replace('_', ' ')}</Badge>
                </Table.Td>
                <Table.Td>{new Date(c.created_at).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
