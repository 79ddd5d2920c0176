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
    ],
  },
]);
