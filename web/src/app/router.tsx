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
const ServicesPage = lazy(() => import('../pages/services/ServicesPage'));
const ServicePage = lazy(() => import('../pages/services/ServicePage'));
const TargetPage = lazy(() => import('../pages/targets/TargetPage'));
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
      { path: '/services', element: <ServicesPage /> },
      { path: '/services/:id', element: <ServicePage /> },
      { path: '/targets/:id', element: <TargetPage /> },
      { path: '/jobs', element: <JobsPage /> },
      { path: '/jobs/:id', element: <JobPage /> },
    ],
  },
]);
