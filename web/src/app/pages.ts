import type { ComponentType } from 'react';

type PageModule = Promise<{ default: ComponentType }>;

/**
 * Every page, by its route, each its own chunk: the first page loads only its own code. Kept free
 * of React and the router so that `boot.ts` can start the current page's chunk before those load.
 */
export const SIGNED_OUT_PAGES = {
  '/login': () => import('../pages/login/LoginPage'),
} satisfies Record<string, () => PageModule>;

export const SIGNED_IN_PAGES = {
  '/': () => import('../pages/deploy/DeployPage'),
  '/releases': () => import('../pages/releases/ReleasesPage'),
  '/releases/:id': () => import('../pages/releases/ReleasePage'),
  '/inbox': () => import('../pages/inbox/InboxPage'),
  '/inbox/:ticketId': () => import('../pages/inbox/TicketPage'),
  '/projects': () => import('../pages/projects/ProjectsPage'),
  '/environments': () => import('../pages/environments/EnvironmentsPage'),
  '/environments/:id': () => import('../pages/environments/EnvironmentPage'),
  '/environments/:id/install/:taskId': () => import('../pages/environments/install/InstallTaskPage'),
  '/services': () => import('../pages/services/ServicesPage'),
  '/services/:id': () => import('../pages/services/ServicePage'),
  '/targets/:id': () => import('../pages/targets/TargetPage'),
  '/credentials': () => import('../pages/credentials/CredentialsPage'),
  '/clusters': () => import('../pages/clusters/ClustersPage'),
  '/hosts': () => import('../pages/hosts/HostsPage'),
  '/runners': () => import('../pages/runners/RunnersPage'),
  '/audit': () => import('../pages/audit/AuditPage'),
  '/settings': () => import('../pages/settings/SettingsPage'),
  '/jobs': () => import('../pages/jobs/JobsPage'),
  '/jobs/:id': () => import('../pages/jobs/JobPage'),
  '/ai': () => import('../pages/ai/AiPage'),
} satisfies Record<string, () => PageModule>;

export type SignedInRoute = keyof typeof SIGNED_IN_PAGES;

const segments = (path: string) => path.toLowerCase().split('/').filter(Boolean);

/**
 * The route `pathname` shows, matched as the router matches these routes (case-insensitive, a
 * trailing slash ignored, `:name` one segment); null for a path no page has.
 */
export function routeOf(pathname: string): { route: string; signedIn: boolean } | null {
  const parts = segments(pathname);
  const all = [
    ...Object.keys(SIGNED_OUT_PAGES).map((route) => ({ route, signedIn: false })),
    ...Object.keys(SIGNED_IN_PAGES).map((route) => ({ route, signedIn: true })),
  ];
  return (
    all.find(({ route }) => {
      const want = segments(route);
      return want.length === parts.length && want.every((w, i) => w.startsWith(':') || w === parts[i]);
    }) ?? null
  );
}
