import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The files `npm run build` writes into the bundle directory, one per Lambda entry. */
export const ENTRY_FILES = {
  api: 'api.mjs',
  claim: 'claim.mjs',
  sweep: 'sweep.mjs',
  migrate: 'migrate.mjs',
} as const;

export type LambdaBundle = {
  readonly dir: string;
  /** One asset for every function: the entries share their chunks, so one upload serves all. */
  readonly code: lambda.Code;
  /** Entries the stack references that the build did not make. */
  readonly missing: string[];
};

/**
 * The Lambda code is the project's own esbuild output, never a CDK bundling step: NodejsFunction
 * falls back to Docker when it finds no local esbuild, which would pull an image and break an
 * offline synth. Source maps stay behind: they are for offline symbolication and would only grow
 * the package every cold start downloads.
 */
export function lambdaBundle(dir: string): LambdaBundle {
  if (!existsSync(join(dir, ENTRY_FILES.api)))
    throw new Error(
      `no Lambda bundle at ${dir} (${ENTRY_FILES.api} is missing): run \`npm run build\` first`,
    );
  return {
    dir,
    code: lambda.Code.fromAsset(dir, { exclude: ['**/*.map'] }),
    missing: Object.values(ENTRY_FILES).filter((f) => !existsSync(join(dir, f))),
  };
}
