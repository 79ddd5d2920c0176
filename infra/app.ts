import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { K8smStack } from './lib/stack';

const app = new App();

function numberContext(key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`-c ${key}=${String(value)}: must be a positive integer`);
  return n;
}
// Environment-agnostic on purpose: an account or region here would make synth look up AZs over
// the network. The deploying profile decides both.
new K8smStack(app, 'K8sManage', {
  description: 'k8s-manage: API, sweeps, database, keys, job queues and web SPA',
  bundleDir: resolve(import.meta.dirname, '..', 'dist', 'lambda'),
  webDir: resolve(import.meta.dirname, '..', 'dist', 'web'),
  namePrefix: app.node.tryGetContext('prefix'),
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  apiConcurrency: numberContext('apiConcurrency'),
  claimConcurrency: numberContext('claimConcurrency'),
});
