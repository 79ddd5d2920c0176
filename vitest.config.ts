import { configDefaults, defineConfig } from 'vitest/config';

const ALL = '{shared,functions,runner,test,infra,script-tools}/**/*.test.ts';
/**
 * Unit tests start nothing: no database, no peer, no child process of ours, no full build. The
 * rest is integration: a database (PGlite or Postgres, so every API test), a peer (sshd, dockerd, a
 * registry, network namespaces, local SQS, the Kubernetes API fixture), the runner as a process, an
 * esbuild bundle or a CDK synth, and the end-to-end suites. Such files are named `*.integ.test.ts`
 * (or live in test/e2e/), so the split needs no list; `npm run test:unit` runs the fast half.
 */
const BROWSER = ['test/browser/**/*.test.ts'];
const INTEGRATION = ['**/*.integ.test.ts', 'test/e2e/**/*.test.ts'];

/**
 * What integration and browser tests share. Browser tests are their own project, which `npm test`
 * runs after the others: Chromium fails every request in flight with ERR_NETWORK_CHANGED when an
 * address appears or goes on the machine, and the network-namespace hosts and compose networks of
 * the integration tests do exactly that.
 */
const PEERED = {
  // Peers start in the hooks: an engine, a registry and a pushed image take a while.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // A poll waits for what a server, a runner or a browser does next; on two busy cores that
  // is often more than the 1 s default. A poll that holds returns at once either way.
  expect: { poll: { timeout: 30_000 } },
};

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Two cores here: more workers only queue on the CPU and on Postgres.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [ALL],
          exclude: [...configDefaults.exclude, ...INTEGRATION, ...BROWSER],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          ...PEERED,
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: BROWSER, ...PEERED },
      },
    ],
  },
});
