import { Text } from '@mantine/core';

/** Why a control is disabled, naming the permission the user lacks (as GET /me reports them). */
export function Missing({ what, permission }: { what: string; permission: string }) {
  return (
    <Text size="sm" c="dimmed">
      You may not {what}: missing permission {permission}
    </Text>
  );
}
