/** The app itself: React, Mantine, the router; loaded by `main.tsx` once the page load has started. */
import { type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError, setNavigator } from '../api/client';
import { Loading } from '../components/Loading';
import { forgetOnLeaving, prefetchFirstPage } from './prefetch';
import { router } from './router';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (403, 404, 422) will not change by asking again.
      retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
setNavigator((to) => void router.navigate(to));
void prefetchFirstPage(queries, window.location.pathname);
forgetOnLeaving(router, window.location.pathname);

/**
 * Mantine's default shades put white text on mid-tone fills below WCAG's 4.5:1: the darker shade
 * keeps white text readable, and autoContrast gives light fills (yellow, orange) dark text.
 */
const theme = createTheme({ primaryShade: 9, autoContrast: true, luminanceThreshold: 0.35 });
/**
 * Secondary text (descriptions, hints) one shade darker than Mantine's, for the same reason; so
 * are a field's error messages (red 6 on white is 3.3:1).
 */
const variables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={variables}>
      <QueryClientProvider client={queries}>
        <Suspense fallback={<Loading />}>
          <RouterProvider router={router} />
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
