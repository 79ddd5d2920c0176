import { Alert } from '@mantine/core';
import { ApiError } from '../api/client';

/** An API refusal as the user should read it: the message, and the code for support. */
export function ErrorNote({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={title} role="alert">
      {e ? `${e.message} (${e.code})` : String((error as Error).message ?? error)}
    </Alert>
  );
}
