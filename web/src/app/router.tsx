import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from './Layout';
import { RequireAuth } from './RequireAuth';

// Each page is its own chunk: the first page loads only its own code.
const LoginPage = lazy(() => import('../pages/login/LoginPage'));
const DeployPage = lazy(() => import('../pages/deploy/DeployPage'));
const ReleasesPage = lazy(() => import('../pages/releases/ReleasesPage'));
const ReleasePage = lazy(() => import('../pages/releases/ReleasePage'));
const InboxPage = lazy(() => import('../pages/inbox/InboxPage'));
const TicketPage = lazy(() => import('../pages/inbox/TicketPage'));
const ProjectsPage = lazy(() => import('../pages/projects/ProjectsPage'));
const EnvironmentsPage = lazy(() => import('../pages/environments/EnvironmentsPage'));
const EnvironmentPage = lazy(() => import('../pages/environments/EnvironmentPage'));
const InstallTaskPage = lazy(() => import('../pages/environments/install/InstallTaskPage'));
const ServicesPage = lazy(() => import('../pages/services/ServicesPage'));
const ServicePage = lazy(() => import('../pages/services/ServicePage'));
const TargetPage = lazy(() => import('../pages/targets/TargetPage'));
const CredentialsPage = lazy(() => import('../pages/credentials/CredentialsPage'));
const ClustersPage = lazy(() => import('../pages/clusters/ClustersPage'));
const HostsPage = lazy(() => import('../pages/hosts/HostsPage'));
const RunnersPage = lazy(() => import('../pages/runners/RunnersPage'));
const AuditPage = lazy(() => import('../pages/audit/AuditPage'));
const SettingsPage = lazy(() => import('../pages/settings/SettingsPage'));
const JobsPage = lazy(() => import('../pages/jobs/JobsPage'));
const JobPage = lazy(() => import('../pages/jobs/JobPage'));

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { path: '/', element: <DeployPage /> },
      { path: '/releases', element: <ReleasesPage /> },
      { path: '/releases/:id', element: <ReleasePage /> },
      { path: '/inbox', element: <InboxPage /> },
      { path: '/inbox/:ticketId', element: <TicketPage /> },
      { path: '/projects', element: <ProjectsPage /> },
      { path: '/environments', element: <EnvironmentsPage /> },
      { path: '/environments/:id', element: <EnvironmentPage /> },
      { path: '/environments/:id/install/:taskId', element: <InstallTaskPage /> },
      { path: '/services', element: <ServicesPage /> },
      { path: '/services/:id', element: <ServicePage /> },
      { path: '/targets/:id', element: <TargetPage /> },
      { path: '/credentials', element: <CredentialsPage /> },
      { path: '/clusters', element: <ClustersPage /> },
      { path: '/hosts', element: <HostsPage /> },
      { path: '/runners', element: <RunnersPage /> },
      { path: '/audit', element: <AuditPage /> },
      { path: '/settings', element: <SettingsPage /> },
      { path: '/jobs', element: <JobsPage /> },
      { path: '/jobs/:id', element: <JobPage /> },
    ],
  },
]);
