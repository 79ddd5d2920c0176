import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENTRY_FILES } from '../lib/bundle';
import { K8smStack, type K8smStackProps } from '../lib/stack';

/** The feature flags `cdk synth` runs with, so a test sees the template a deploy would. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../cdk.json'), 'utf8'),
).context;

const made: string[] = [];

export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `k8sm-infra-${name}-`));
  made.push(dir);
  return dir;
}

/** Removes every directory this module made; call from afterAll. */
export function cleanUp() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A bundle directory with stub entries (or only some), for tests that look at the template. */
export function placeholderBundle(entries: readonly string[] = Object.values(ENTRY_FILES)): string {
  const dir = tempDir('bundle');
  mkdirSync(join(dir, 'chunks'));
  for (const file of entries) writeFileSync(join(dir, file), 'export const handler = async () => ({});\n');
  return dir;
}

/** A built SPA stand-in: the deployment only needs a folder to upload. */
export function placeholderWeb(): string {
  const dir = tempDir('web');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>k8s-manage</title>\n');
  return dir;
}

export function synth(props: Partial<K8smStackProps> = {}) {
  const app = new App({ context: CDK_CONTEXT, outdir: tempDir('out') });
  const stack = new K8smStack(app, 'K8sManage', {
    bundleDir: placeholderBundle(),
    webDir: placeholderWeb(),
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

export type Resource = {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON
  Properties?: Record<string, any>;
  DependsOn?: string[];
};

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

/** The one resource of a type whose properties contain `match` (as a JSON fragment). */
export function only(template: Template, type: string, match: (r: Resource) => boolean): [string, Resource] {
  const found = resourcesOf(template, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type} to match, found ${found.length}`);
  return found[0]!;
}

export const functionWithHandler = (template: Template, handler: string) =>
  only(template, 'AWS::Lambda::Function', (r) => r.Properties?.Handler === handler);

/** The environment a function is deployed with (values may be CloudFormation tokens). */
export const settingsOf = (template: Template, handler: string): Record<string, unknown> =>
  functionWithHandler(template, handler)[1].Properties?.Environment?.Variables ?? {};

/** Replaces tokens with values of the shape CloudFormation fills in, for the config module to parse. */
export const asDeployed = (vars: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(vars).map(([name, v]) => {
      if (typeof v === 'string') return [name, v];
      if (name.endsWith('_HOST')) return [name, 'proxy.example.internal'];
      if (name.endsWith('_BUCKET')) return [name, 'k8sm-bucket-name'];
      return [name, `arn:aws:x:eu-west-1:1:${name}`];
    }),
  );
