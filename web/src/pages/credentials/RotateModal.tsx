import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Credential } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { KINDS, payloadOf } from './kinds';
import { PayloadFields } from './PayloadFields';

/** New material of the same kind; a pending reveal of the old material can no longer be collected. */
export function RotateModal(props: { credential: Credential | null; onClose: () => void }) {
  const c = props.credential;
  const queries = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const close = () => {
    setValues({});
    rotate.reset();
    props.onClose();
  };
  const rotate = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/credentials/{id}/rotate', {
          params: { path: { id: c!.id } },
          body: { payload: payloadOf(c!.kind, values) },
        }),
      ),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['credentials'] });
      close();
    },
  });
  return (
    <Modal opened={c !== null} onClose={close} title={c ? `Rotate ${c.name}` : ''} size="lg">
      {c && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rotate.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              New {KINDS[c.kind].label.toLowerCase()} material replaces the old; hosts and clusters using this
              credential use the new one from their next job.
            </Text>
            <PayloadFields
              fields={KINDS[c.kind].fields}
              values={values}
              onChange={setValues}
              error={rotate.error}
              prefix="payload."
            />
            <ErrorNote error={rotate.error} title="Not rotated" />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                Rotate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
