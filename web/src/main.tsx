import '@mantine/core/styles.css';
import 'diff2html/bundles/css/diff2html.min.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError, setNavigator } from './api/client';
import { router } from './app/router';
import { Loading } from './components/Loading';

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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <QueryClientProvider client={queries}>
        <Suspense fallback={<Loading />}>
          <RouterProvider router={router} />
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
