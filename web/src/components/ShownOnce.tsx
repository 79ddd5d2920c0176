import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/**
 * A secret the API returns once (a registration or runner token): the platform keeps only its
 * hash, so this is the one chance to copy it. It lives in this component's props only and is gone
 * when the user dismisses it or leaves the page.
 */
export function ShownOnce(props: {
  title: string;
  /** What to copy: the token itself, or a command that carries it. */
  value: string;
  hint: string;
  onDismiss: () => void;
}) {
  return (
    <Alert
      color="yellow"
      title={props.title}
      role="region"
      aria-label={props.title}
      // The light alert's tinted title falls below WCAG contrast; the tint stays in the background.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Stack gap="xs">
        <Text size="sm">{props.hint}</Text>
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="shown-once">
          {props.value}
        </Code>
        <Group>
          <CopyButton value={props.value}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} color={copied ? 'teal' : undefined}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={props.onDismiss}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
