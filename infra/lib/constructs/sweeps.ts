import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../bundle';
import { PlatformFunction } from './platform-function';

export interface SweepsProps {
  readonly bundle: LambdaBundle;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly alarmTopic: sns.ITopic;
}

/**
 * The periodic work of functions/lambda/sweep.ts (dispatch queued jobs, dead-letter stuck ones,
 * expire tickets and previews, anchor the audit chain), run every minute by EventBridge.
 *
 * No retries: the next tick runs the same idempotent sweep a minute later, and retries piled on
 * a struggling database would only add load. The timeout stays under the interval so two runs
 * overlap only when one is about to be cut off.
 */
export class Sweeps extends Construct {
  readonly fn: PlatformFunction;

  constructor(scope: Construct, id: string, props: SweepsProps) {
    super(scope, id);
    this.fn = new PlatformFunction(this, 'Function', {
      bundle: props.bundle,
      handler: 'sweep.handler',
      description: 'k8s-manage sweeps: job dispatch and dead-lettering, expiry, audit checkpoints',
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      timeout: Duration.seconds(55),
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
      // One at a time: a tick that runs long makes the next one wait its turn, not race it.
      reservedConcurrency: 1,
    });
    new events.Rule(this, 'EveryMinute', {
      description: 'Runs the k8s-manage sweeps',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    // One failed tick is retried by the next; a quarter of an hour of them means expiry stopped.
    new cloudwatch.Alarm(this, 'Failing', {
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The sweeps have failed for 15 minutes: expiry, dispatch and checkpoints have stopped.',
    }).addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}
