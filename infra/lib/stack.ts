import { relative } from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { KEY_PURPOSES, type KeyPurpose } from '../../functions/platform/keys/types';
import { lambdaBundle } from './bundle';
import { Api } from './constructs/api';
import { AuditAnchor } from './constructs/audit-anchor';
import { Database } from './constructs/database';
import { Jobs } from './constructs/jobs';
import { Keys } from './constructs/keys';
import { Migrations } from './constructs/migrations';
import { Network } from './constructs/network';
import { Sweeps } from './constructs/sweeps';
import { Web } from './constructs/web';

export interface K8smStackProps extends StackProps {
  /** What `npm run build` wrote: api.mjs, claim.mjs, sweep.mjs, migrate.mjs and their chunks. */
  readonly bundleDir: string;
  /** The built SPA, `dist/web` after `npm run build`. */
  readonly webDir: string;
  /** Names of the queues and the key alias; two deployments in one account and region need two. @default 'k8sm' */
  readonly namePrefix?: string;
  /** Subscribed to every alarm. @default no subscription */
  readonly alarmEmail?: string;
  /** K8SM_JOB_LEASE_SECONDS. @default 60 */
  readonly jobLeaseSeconds?: number;
  /**
   * Reserved concurrency of the API and of the runner claim function. Together with the sweeps' 1
   * they must leave the account 100 unreserved: a new account's quota (often 10) needs raising
   * first. @default 100 and 50
   */
  readonly apiConcurrency?: number;
  readonly claimConcurrency?: number;
}

/**
 * Which functions use the key, and for what (SPEC §6, Keys). The API does everything, re-wrapping
 * every purpose on rotation included; the sweeps write audit events and so anchor checkpoints, and
 * sign the notifications they send.
 */
export const KEY_PURPOSES_BY_FUNCTION = {
  api: KEY_PURPOSES,
  sweep: ['audit_checkpoint', 'notification_secret'],
} as const satisfies Record<string, readonly KeyPurpose[]>;

/**
 * In a VPC, a notification or CI trigger URL pointing at a private address would let whoever may
 * save one probe the platform's own network: only ranges an operator lists are allowed (SPEC §7.2).
 */
const CLOUD_OUTBOUND = { K8SM_OUTBOUND_ALLOW_PRIVATE: 'false' };

/** The whole platform in one stack: it creates the constructs and wires grants and settings. */
export class K8smStack extends Stack {
  constructor(scope: Construct, id: string, props: K8smStackProps) {
    super(scope, id, props);
    const prefix = props.namePrefix ?? 'k8sm';
    const bundle = lambdaBundle(props.bundleDir);
    for (const file of bundle.missing)
      Annotations.of(this).addWarningV2(
        'k8sm:bundle-entry',
        `${file} is not in ${relative(process.cwd(), props.bundleDir) || '.'}: the function that runs it will fail until the build makes it`,
      );

    const alarmTopic = new sns.Topic(this, 'Alarms', { displayName: 'k8s-manage alarms', enforceSSL: true });
    if (props.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const network = new Network(this, 'Network');
    const app = { bundle, vpc: network.vpc, subnets: network.appSubnets };
    const data = new Database(this, 'Data', { vpc: network.vpc, subnets: network.dataSubnets });
    const keys = new Keys(this, 'Keys', { alias: `alias/${prefix}` });
    const auditAnchor = new AuditAnchor(this, 'AuditAnchor');
    const jobs = new Jobs(this, 'Jobs', {
      queuePrefix: `${prefix}-pool-`,
      deadLetterQueueName: `${prefix}-dead-letters`,
      leaseSeconds: props.jobLeaseSeconds,
      alarmTopic,
    });

    const api = new Api(this, 'Api', {
      ...app,
      apiConcurrency: props.apiConcurrency,
      claimConcurrency: props.claimConcurrency,
    });
    // The claim function is the same app on a smaller function: it gets every grant the API has.
    for (const fn of [api.fn, api.claimFn]) {
      network.allowAwsApis(fn);
      fn.addSettings(data.grantConnectViaProxy(fn))
        .addSettings(keys.grantJwtRead(fn))
        .addSettings(keys.settings)
        .addSettings(jobs.grantPublishAndClaim(fn))
        // The API verifies against the anchor; the sweeps write checkpoints to it.
        .addSettings(auditAnchor.grantAnchor(fn))
        .addSettings(CLOUD_OUTBOUND);
      keys.grantPurposes(fn.role!, KEY_PURPOSES_BY_FUNCTION.api);
    }

    const sweeps = new Sweeps(this, 'Sweeps', { ...app, alarmTopic });
    network.allowAwsApis(sweeps.fn);
    sweeps.fn
      .addSettings(data.grantConnectViaProxy(sweeps.fn))
      // The sweeps sign nothing, but buildDeps loads the JWT key for every process.
      .addSettings(keys.grantJwtRead(sweeps.fn))
      .addSettings(keys.settings)
      .addSettings(jobs.grantPublish(sweeps.fn))
      .addSettings(auditAnchor.grantAnchor(sweeps.fn))
      .addSettings(CLOUD_OUTBOUND);
    keys.grantPurposes(sweeps.fn.role!, KEY_PURPOSES_BY_FUNCTION.sweep);

    const migrations = new Migrations(this, 'Migrations', {
      ...app,
      after: [data],
      before: [api.fn, api.claimFn, sweeps.fn],
    });
    network.allowAwsApis(migrations.fn);
    migrations.fn.addSettings(data.grantConnectDirect(migrations.fn));

    const web = new Web(this, 'Web', { apiDomainName: api.domainName, webDir: props.webDir });

    new CfnOutput(this, 'ApiOrigin', { value: api.origin, description: 'npm run runner -- --api <this>' });
    new CfnOutput(this, 'WebUrl', { value: `https://${web.distribution.distributionDomainName}` });
    new CfnOutput(this, 'WebBucket', { value: web.bucket.bucketName });
    new CfnOutput(this, 'WebDistributionId', { value: web.distribution.distributionId });
    new CfnOutput(this, 'MigrateFunction', { value: migrations.fn.functionName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: jobs.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopic', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'AuditAnchorBucket', { value: auditAnchor.bucket.bucketName });
  }
}
