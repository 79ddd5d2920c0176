import { Stack } from '@mantine/core';
import { can, useMe } from '../../api/me';
import { PageTitle } from '../../app/Layout';
import { BindingsSection } from './BindingsSection';
import { PolicySection } from './PolicySection';
import { UsersSection } from './UsersSection';

export default function SettingsPage() {
  const me = useMe();
  // Users and bindings are global: only a grant without a project covers them.
  const isAdmin = can(me.data, 'rbac:admin', null);
  return (
    <Stack>
      <PageTitle>Settings</PageTitle>
      <PolicySection />
      <UsersSection isAdmin={isAdmin} />
      <BindingsSection isAdmin={isAdmin} />
    </Stack>
  );
}
