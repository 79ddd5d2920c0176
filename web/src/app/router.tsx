import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from './Layout';
import { SIGNED_IN_PAGES, SIGNED_OUT_PAGES } from './pages';
import { RequireAuth } from './RequireAuth';

/** The routes of `pages.ts`, each page a lazy component (its chunk may already be on its way). */
const routesOf = (pages: Record<string, Parameters<typeof lazy>[0]>) =>
  Object.entries(pages).map(([path, load]) => {
    const Page = lazy(load);
    return { path, element: <Page /> };
  });

export const router = createBrowserRouter([
  ...routesOf(SIGNED_OUT_PAGES),
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: routesOf(SIGNED_IN_PAGES),
  },
]);
