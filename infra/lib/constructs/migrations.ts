import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../bundle';
import { PlatformFunction } from './platform-function';

export interface MigrationsProps {
  readonly bundle: LambdaBundle;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Runs once these exist (the database). */
  readonly after: Construct[];
  /** Updated only after the migrations succeeded (the functions that need the new schema). */
  readonly before: Construct[];
}

/** DDL under the migrator's advisory lock can wait on a long transaction; fail well before Lambda's 15 minutes. */
const MIGRATE_TIMEOUT = Duration.minutes(5);

/**
 * `db:migrate` on every deploy that ships a new bundle: the migrations travel inside it
 * (dist/lambda/migrations), so new SQL always means a new function version, and the trigger runs
 * each time the function changes. It runs before the API and the sweeps are updated, and a failed
 * migration fails the deploy, which CloudFormation then rolls back.
 *
 * The function is also the way down: invoked by hand with `{"direction":"down","steps":N}` it
 * reverts, from inside the VPC, what no laptop can reach (docs/cloud.md).
 */
export class Migrations extends Construct {
  readonly fn: PlatformFunction;

  constructor(scope: Construct, id: string, props: MigrationsProps) {
    super(scope, id);
    this.fn = new PlatformFunction(this, 'Function', {
      bundle: props.bundle,
      handler: 'migrate.handler',
      description: 'k8s-manage database migrations (up on deploy, down by hand)',
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      timeout: MIGRATE_TIMEOUT,
      // A hand-made async invoke (a rollback) that failed wants a human, not a second run.
      retryAttempts: 0,
    });
    new triggers.Trigger(this, 'OnDeploy', {
      handler: this.fn,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: MIGRATE_TIMEOUT,
      executeOnHandlerChange: true,
      executeAfter: props.after,
      executeBefore: props.before,
    });
  }
}
