import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type FunctionSettings, requireInRange } from '../settings';

export interface JobsProps {
  /** Pool queues are named `${queuePrefix}${poolId}`; the dead-letter queue is not. */
  readonly queuePrefix: string;
  readonly deadLetterQueueName: string;
  /** K8SM_JOB_LEASE_SECONDS. @default 60 */
  readonly leaseSeconds?: number;
  /** K8SM_JOB_MAX_RECEIVES. @default 5 */
  readonly maxReceives?: number;
  readonly alarmTopic: sns.ITopic;
}

/** SQS keeps a message 14 days at most; dead letters are evidence, so keep them that long. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** Publishing may find a pool's queue missing (deleted, or a pool older than SQS mode): it recreates it. */
const PUBLISH_ACTIONS = ['sqs:CreateQueue', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
/** Claim (receive with the lease as visibility), heartbeat (extend) and completion (delete). */
const CLAIM_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage'];

/**
 * The job queues' shared parts. The API makes one queue per runner pool at run time
 * (functions/platform/queue/sqs.ts), each redriving here after `maxReceives` receives; this
 * construct owns that dead-letter queue, its alarms, the settings every function that touches
 * jobs must agree on, and IAM scoped to queue names with the prefix.
 *
 * There is no queue-level visibility timeout to derive: every receive passes the lease as its
 * VisibilityTimeout, so the lease setting is the visibility. The dead-letter queue takes it too,
 * for anyone who inspects its messages.
 */
export class Jobs extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly settings: FunctionSettings;
  private readonly poolQueueArn: string;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    if (props.deadLetterQueueName.startsWith(props.queuePrefix))
      throw new Error('the dead-letter queue name must not start with the pool queue prefix');
    const lease = props.leaseSeconds ?? 60;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: props.deadLetterQueueName,
      retentionPeriod: DEAD_LETTER_RETENTION,
      visibilityTimeout: Duration.seconds(lease),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.settings = {
      K8SM_QUEUE_PREFIX: props.queuePrefix,
      K8SM_DLQ_ARN: this.deadLetterQueue.queueArn,
      K8SM_JOB_LEASE_SECONDS: requireInRange('K8SM_JOB_LEASE_SECONDS', lease, 15, 3600),
      K8SM_JOB_MAX_RECEIVES: requireInRange('K8SM_JOB_MAX_RECEIVES', props.maxReceives ?? 5, 1, 100),
    };
    this.poolQueueArn = Stack.of(this).formatArn({
      service: 'sqs',
      resource: `${props.queuePrefix}*`,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });

    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(new actions.SnsAction(props.alarmTopic));
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Maximum' };
    // Nothing consumes dead letters: each one is a job that no runner finished, worth a look.
    alarm(
      'DeadLettersVisible',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible(fiveMinutes),
      1,
      'A job was dead-lettered: it was handed out K8SM_JOB_MAX_RECEIVES times and never completed.',
    );
    // The second reminder: two days before SQS drops the oldest dead letter unread.
    const ageThreshold = DEAD_LETTER_RETENTION.minus(Duration.days(2)).toSeconds();
    alarm(
      'DeadLettersAging',
      this.deadLetterQueue.metricApproximateAgeOfOldestMessage(fiveMinutes),
      ageThreshold,
      'The oldest dead letter expires from SQS within two days; inspect the queue before it is lost.',
    );
  }

  /** The sweeps publish queued jobs. */
  grantPublish(grantee: iam.IGrantable): FunctionSettings {
    this.grant(grantee, PUBLISH_ACTIONS);
    return this.settings;
  }

  /** The API creates pool queues, publishes, and serves runners' claims. */
  grantPublishAndClaim(grantee: iam.IGrantable): FunctionSettings {
    this.grant(grantee, [...PUBLISH_ACTIONS, ...CLAIM_ACTIONS]);
    return this.settings;
  }

  private grant(grantee: iam.IGrantable, actions: string[]) {
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.poolQueueArn] });
  }
}
