import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { signOut as endSession } from '../api/client';
import { useMe } from '../api/me';
import { Loading } from '../components/Loading';

const NAV = [
  { to: '/', label: 'Deploy' },
  { to: '/ai', label: 'Command center' },
  { to: '/releases', label: 'Releases' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/inbox', label: 'Inbox' },
  { to: '/projects', label: 'Projects' },
  { to: '/environments', label: 'Environments' },
  { to: '/services', label: 'Services' },
  { to: '/credentials', label: 'Credentials' },
  { to: '/clusters', label: 'Clusters' },
  { to: '/hosts', label: 'Hosts' },
  { to: '/runners', label: 'Runners' },
  { to: '/audit', label: 'Audit' },
  { to: '/notifications', label: 'Notifications' },
  { to: '/settings', label: 'Settings' },
];

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const me = useMe();
  const here = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const signOut = () => {
    // Signed out in the page even if the API cannot be reached: the cookie then ends on its own.
    void endSession()
      .catch(() => undefined)
      .finally(() => {
        queries.clear();
        navigate('/login');
      });
  };
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700}>k8s-manage</Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {me.data?.user.username}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.map((n) => (
          <NavLink
            key={n.to}
            component={Link}
            to={n.to}
            label={n.label}
            onClick={close}
            active={n.to === '/' ? here.pathname === '/' : here.pathname.startsWith(n.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

/** One `h1` per page. */
export function PageTitle({ children }: { children: React.ReactNode }) {
  return (
    // Titles name things by id: a long one breaks rather than widen a phone's page.
    <Title order={1} size="h2" mb="md" style={{ overflowWrap: 'anywhere' }}>
      {children}
    </Title>
  );
}
