import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../functions/platform/config';
import { API_MEMORY_MB, CLAIM_MEMORY_MB, CLAIM_PATH } from './lib/constructs/api';
import { Jobs } from './lib/constructs/jobs';
import { K8smStack } from './lib/stack';
import {
  asDeployed,
  CDK_CONTEXT,
  cleanUp,
  functionWithHandler,
  only,
  placeholderBundle,
  placeholderWeb,
  resourcesOf,
  settingsOf,
  synth,
} from './testing/synth';

let template: Template;
beforeAll(() => {
  template = synth().template;
});
afterAll(cleanUp);

const HANDLERS = ['api.handler', 'claim.handler', 'sweep.handler', 'migrate.handler'];
const variables = (handler: string) => settingsOf(template, handler);

describe('functions', () => {
  it('runs every platform function on nodejs22.x, arm64, from one build asset', () => {
    const fns = HANDLERS.map((h) => functionWithHandler(template, h)[1].Properties!);
    for (const fn of fns) {
      expect(fn.Runtime).toBe('nodejs22.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.VpcConfig.SubnetIds).toHaveLength(2);
    }
    expect(new Set(fns.map((fn) => JSON.stringify(fn.Code.S3Key))).size).toBe(1);
  });

  it("keeps CDK's own provider functions (custom resources) on a current runtime", () => {
    for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
      const runtime = String(fn.Properties?.Runtime);
      // The SPA upload is CDK's Python handler (it runs the AWS CLI); everything else is Node.
      const python = /^python3\.(\d+)$/.exec(runtime);
      if (python) expect(Number(python[1])).toBeGreaterThanOrEqual(12);
      else expect(Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1])).toBeGreaterThanOrEqual(22);
    }
  });

  it('sizes the API from API_MEMORY_MB and ends it before the gateway does', () => {
    const api = functionWithHandler(template, 'api.handler')[1].Properties!;
    expect(api.MemorySize).toBe(API_MEMORY_MB);
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(2);
    for (const [, integration] of integrations)
      expect(api.Timeout * 1000).toBeLessThan(integration.Properties!.TimeoutInMillis);
    expect(Number(api.Environment.Variables.K8SM_CLAIM_WAIT_SECONDS)).toBeLessThan(api.Timeout);
  });

  it('serves the runner claim from its own small function, on the same build and settings as the API', () => {
    const [claimId, claim] = functionWithHandler(template, 'claim.handler');
    const api = functionWithHandler(template, 'api.handler')[1].Properties!;
    expect(claim.Properties!.MemorySize).toBe(CLAIM_MEMORY_MB);
    expect(claim.Properties!.Timeout).toBe(api.Timeout);
    const { K8SM_CLAIM_WAIT_SECONDS, ...claimRest } = variables('claim.handler');
    expect(Number(K8SM_CLAIM_WAIT_SECONDS)).toBeLessThan(claim.Properties!.Timeout);
    const { K8SM_CLAIM_WAIT_SECONDS: _, ...apiRest } = variables('api.handler');
    expect(claimRest).toEqual(apiRest);
    // POST on the claim path goes to the claim function; everything else to the API.
    const [, route] = only(
      template,
      'AWS::ApiGatewayV2::Route',
      (r) => r.Properties?.RouteKey === `POST ${CLAIM_PATH}`,
    );
    const target = JSON.stringify(route.Properties!.Target);
    const [integrationId, integration] = only(template, 'AWS::ApiGatewayV2::Integration', (r) =>
      JSON.stringify(r.Properties?.IntegrationUri).includes(claimId),
    );
    expect(target).toContain(integrationId);
    expect(JSON.stringify(integration.Properties!.IntegrationUri)).toContain(claimId);
  });

  it('caps the API and the claims with reserved concurrency, and runs one sweep at a time', () => {
    const reserved = (h: string) =>
      functionWithHandler(template, h)[1].Properties!.ReservedConcurrentExecutions;
    expect(reserved('api.handler')).toBe(100);
    expect(reserved('claim.handler')).toBe(50);
    expect(reserved('sweep.handler')).toBe(1);
    const smaller = synth({ apiConcurrency: 20, claimConcurrency: 5 }).template;
    expect(functionWithHandler(smaller, 'api.handler')[1].Properties!.ReservedConcurrentExecutions).toBe(20);
    expect(functionWithHandler(smaller, 'claim.handler')[1].Properties!.ReservedConcurrentExecutions).toBe(5);
  });

  it('gives the API and the sweeps settings the config module reads as Postgres, KMS, Secrets Manager and SQS', () => {
    for (const handler of ['api.handler', 'sweep.handler']) {
      const config = loadConfig(asDeployed(variables(handler)));
      expect(config.database).toMatchObject({
        kind: 'postgres-secret',
        hostOverride: 'proxy.example.internal',
      });
      expect(config.jwt.kind).toBe('secrets-manager');
      expect(config.kmsKeyId).toMatch(/^arn:/);
      expect(config.queue).toMatchObject({ kind: 'sqs', prefix: 'k8sm-pool-' });
    }
  });

  it('connects migrations to the writer directly, with nothing but the database secret', () => {
    expect(Object.keys(variables('migrate.handler'))).toEqual(['K8SM_DATABASE_SECRET_ARN']);
    expect(loadConfig(asDeployed(variables('migrate.handler'))).database).toMatchObject({
      kind: 'postgres-secret',
      hostOverride: undefined,
    });
  });
});

describe('network', () => {
  it('has no NAT and no internet gateway, only interface endpoints for the three AWS APIs', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    const services = resourcesOf(template, 'AWS::EC2::VPCEndpoint')
      .filter(([, r]) => r.Properties?.VpcEndpointType === 'Interface')
      .map(([, r]) => JSON.stringify(r.Properties?.ServiceName));
    expect(services.map((s) => /\.(secretsmanager|kms|sqs)"/.exec(s)?.[1]).sort()).toEqual([
      'kms',
      'secretsmanager',
      'sqs',
    ]);
  });
});

describe('audit anchor', () => {
  const anchorBucket = () =>
    only(template, 'AWS::S3::Bucket', (r) => r.Properties?.ObjectLockEnabled === true);

  it('keeps checkpoints in a private bucket with Object Lock in compliance mode and a retention', () => {
    const [, bucket] = anchorBucket();
    expect(bucket.Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 * 365 } },
    });
    expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ ObjectLockEnabled: true }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the API (with its claim function) and the sweeps put and get checkpoints only, and tells them the bucket', () => {
    const [bucketId] = anchorBucket();
    const s3Statements = resourcesOf(template, 'AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
      .filter(
        (st) => JSON.stringify(st.Action).includes('s3:') && JSON.stringify(st.Resource).includes(bucketId),
      );
    expect(s3Statements).toHaveLength(3);
    for (const st of s3Statements) {
      expect(st.Action).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(st.Resource)).toContain('/audit-checkpoints/*');
    }
    for (const handler of ['api.handler', 'sweep.handler']) {
      expect(JSON.stringify(variables(handler).K8SM_AUDIT_ANCHOR_BUCKET)).toContain(bucketId);
      expect(loadConfig(asDeployed(variables(handler))).auditAnchor.kind).toBe('s3');
    }
    expect(variables('migrate.handler').K8SM_AUDIT_ANCHOR_BUCKET).toBeUndefined();
  });

  it('keeps notifications and CI triggers out of private ranges in the cloud', () => {
    for (const handler of ['api.handler', 'sweep.handler']) {
      expect(loadConfig(asDeployed(variables(handler))).outbound).toEqual({
        allowPrivate: false,
        allowCidrs: [],
      });
    }
  });

  it('reaches S3 through a gateway endpoint, not the internet', () => {
    const gateways = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(
      ([, r]) => r.Properties?.VpcEndpointType === 'Gateway',
    );
    expect(gateways.map(([, r]) => JSON.stringify(r.Properties?.ServiceName))).toEqual([
      expect.stringContaining('.s3'),
    ]);
  });
});

describe('data', () => {
  it('runs Aurora Serverless v2 Postgres, encrypted, behind a TLS-only RDS Proxy', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
    });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot' });
    template.hasResourceProperties('AWS::RDS::DBProxy', { RequireTLS: true, EngineFamily: 'POSTGRESQL' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"k8sm","dbname":"k8sm"}' }),
    });
  });

  it('migrates on deploy after the database and before the API and sweeps change', () => {
    const [triggerId, trigger] = only(template, 'Custom::Trigger', () => true);
    expect(trigger.Properties?.InvocationType).toBe('RequestResponse');
    expect(JSON.stringify(trigger.DependsOn)).toContain('DataClusterWriter');
    for (const handler of ['api.handler', 'sweep.handler'])
      expect(functionWithHandler(template, handler)[1].DependsOn).toContain(triggerId);
  });
});

describe('keys', () => {
  it('rotates the customer-managed key and keeps it when the stack goes', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
  });

  it('generates the JWT key in Secrets Manager, 64 characters', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });
});

describe('jobs', () => {
  const queues = () => resourcesOf(template, 'AWS::SQS::Queue');

  it('gives every queue a dead-letter queue or makes it the one the pool queues redrive to', () => {
    const dlqArn = JSON.stringify(variables('api.handler').K8SM_DLQ_ARN);
    for (const [id, q] of queues()) {
      const isTheDlq = dlqArn === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] });
      expect(isTheDlq || q.Properties?.RedrivePolicy !== undefined).toBe(true);
    }
    expect(queues()).toHaveLength(1);
    expect(queues()[0]![1].Properties?.QueueName).not.toMatch(/^k8sm-pool-/);
  });

  it('alarms on dead-letter depth and on the age of the oldest dead letter', () => {
    const [dlqId] = queues()[0]!;
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      JSON.stringify(a.Properties?.Dimensions).includes(dlqId),
    );
    expect(alarms.map(([, a]) => a.Properties?.MetricName).sort()).toEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
    ]);
    for (const [, a] of alarms) expect(a.Properties?.AlarmActions).toHaveLength(1);
  });

  it('derives the visibility from the lease setting, and refuses a lease the config would refuse', () => {
    // The construct alone: a whole stack per lease would only repeat the synth above.
    const jobs = (leaseSeconds: number) => {
      const stack = new Stack(new App({ context: CDK_CONTEXT }), 'Jobs');
      const alarmTopic = new sns.Topic(stack, 'Alarms');
      const made = new Jobs(stack, 'Jobs', {
        queuePrefix: 'p-',
        deadLetterQueueName: 'dlq',
        leaseSeconds,
        alarmTopic,
      });
      return { made, template: Template.fromStack(stack) };
    };
    const { made, template: leased } = jobs(120);
    leased.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120 });
    expect(made.settings.K8SM_JOB_LEASE_SECONDS).toBe('120');
    expect(variables('api.handler').K8SM_JOB_LEASE_SECONDS).toBe('60');
    expect(() => jobs(5)).toThrow(/K8SM_JOB_LEASE_SECONDS must be an integer from 15/);
  });

  it('runs the sweeps every minute without retries', () => {
    const [sweepId] = functionWithHandler(template, 'sweep.handler');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweepId, 'Arn'] }, RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sweepId },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('api', () => {
  it('throttles the HTTP API stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { PayloadFormatVersion: '2.0' });
  });
});

describe('web', () => {
  it('keeps the bucket private and serves it through CloudFront with OAC, SPA routing and security headers', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'"),
          }),
          StrictTransportSecurity: Match.objectLike({ Override: true }),
        }),
      }),
    });
    const dist = only(template, 'AWS::CloudFront::Distribution', () => true)[1].Properties!
      .DistributionConfig;
    expect(dist.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    expect(dist.CustomErrorResponses).toBeUndefined();
    expect(dist.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/api/*']);
  });

  it('uploads the built SPA to the bucket and clears the cached index.html on deploy', () => {
    const [, upload] = only(template, 'Custom::CDKBucketDeployment', () => true);
    const bucket = only(template, 'AWS::S3::Bucket', (r) => r.Properties?.OwnershipControls !== undefined)[0];
    expect(upload.Properties!.DestinationBucketName).toEqual({ Ref: bucket });
    expect(upload.Properties!.SourceBucketNames).toHaveLength(1);
    expect(upload.Properties!.DistributionPaths).toEqual(['/index.html']);
    expect(upload.Properties!.Prune).toBe(true);
  });
});

describe('bundle', () => {
  it('refuses to synthesise without a build, saying how to make one', () => {
    expect(() => synth({ bundleDir: placeholderBundle([]) })).toThrow(/run `npm run build` first/);
  });

  it('warns about an entry the build did not make', () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new K8smStack(app, 'K8sManage', {
      bundleDir: placeholderBundle(['api.mjs', 'sweep.mjs']),
      webDir: placeholderWeb(),
    });
    // Read from the construct tree: a synth would only repeat the one above.
    const warnings = stack.node.metadata
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(/^claim\.mjs is not in .+: the function that runs it will fail/),
      expect.stringMatching(/^migrate\.mjs is not in .+: the function that runs it will fail/),
    ]);
  });
});
