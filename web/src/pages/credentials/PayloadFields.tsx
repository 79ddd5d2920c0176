import { Code, Paper, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useId } from 'react';
import { fieldErrorsUnder } from '../../components/FieldErrors';
import type { PayloadField } from './kinds';

/** A payload's fields, each showing the API's message for `<prefix><field>` (and what is inside it). */
export function PayloadFields(props: {
  fields: PayloadField[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  error: unknown;
  prefix?: string;
}) {
  const { fields, values, onChange, error, prefix = '' } = props;
  return fields.map((f) => {
    const common = {
      label: f.label,
      description: f.description,
      withAsterisk: !f.optional,
      value: values[f.name] ?? '',
      error: fieldErrorsUnder(error, `${prefix}${f.name}`),
      autoComplete: 'off',
      spellCheck: false,
    };
    const set = (v: string) => onChange({ ...values, [f.name]: v });
    if (f.multiline)
      return (
        <Textarea
          key={f.name}
          {...common}
          onChange={(e) => set(e.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={14}
          // Only the text: on the root it would set the label in monospace too.
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      );
    if (f.secret) return <SecretInput key={f.name} {...common} onChange={set} />;
    return <TextInput key={f.name} {...common} onChange={(e) => set(e.currentTarget.value)} />;
  });
}

/** The example shown beside a form: placeholders only, nothing that could be used. */
export function Example(props: { title: string; hint: string; text: string }) {
  return (
    <Paper withBorder p="md" component="aside" aria-label={props.title}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {props.title}
        </Title>
        <Text size="sm">{props.hint}</Text>
        <Code block style={WRAP}>
          {props.text}
        </Code>
      </Stack>
    </Paper>
  );
}

/** Wrapped rather than scrolled: a scrolling block would need to be focusable, and a phone is narrow. */
export const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

/**
 * Mantine's PasswordInput leaves its error unconnected to the input (no aria-invalid, no
 * aria-describedby): a screen reader would not hear why the field was refused. This connects them.
 */
function SecretInput(props: {
  label: string;
  description: string | undefined;
  withAsterisk: boolean;
  value: string;
  error: string | undefined;
  onChange: (v: string) => void;
}) {
  const id = useId();
  const { onChange, ...rest } = props;
  const describedBy = [props.error && `${id}-error`, props.description && `${id}-description`]
    .filter(Boolean)
    .join(' ');
  return (
    <PasswordInput
      {...rest}
      id={id}
      autoComplete="off"
      aria-invalid={props.error ? true : undefined}
      aria-describedby={describedBy || undefined}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
