import type { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LambdaBundle } from '../bundle';
import type { FunctionSettings } from '../settings';

export interface PlatformFunctionProps {
  readonly bundle: LambdaBundle;
  /** `<entry>.handler`, e.g. `api.handler` for `api.mjs`. */
  readonly handler: string;
  readonly description: string;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  /** More arrive with each grant, through addSettings. @default none */
  readonly environment?: FunctionSettings;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Async invocations only (schedules). @default Lambda's own: 2 retries */
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
  /** Reserved concurrency: both the function's share of the account pool and its cap. @default none */
  readonly reservedConcurrency?: number;
}

/**
 * A function of the platform: code from the project's build, nodejs22.x on arm64 (Lambda bills it
 * about 20% less per GB-second than x86, and the bundle is pure JavaScript), inside the VPC, with
 * a security group that lets nothing out until a construct allows it, and logs kept a month.
 */
export class PlatformFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const securityGroup = new ec2.SecurityGroup(scope, `${id}Sg`, {
      vpc: props.vpc,
      description: `${id} function: egress only where granted`,
      allowAllOutbound: false,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    super(scope, id, {
      code: props.bundle.code,
      handler: props.handler,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [securityGroup],
      logGroup,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    this.addSettings(props.environment ?? {});
  }

  /** Grants return the settings that go with them; they land here, so none is forgotten. */
  addSettings(settings: FunctionSettings): this {
    for (const [name, value] of Object.entries(settings))
      if (value !== undefined) this.addEnvironment(name, value);
    return this;
  }
}
