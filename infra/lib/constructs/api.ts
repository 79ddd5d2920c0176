import { Duration, Fn } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../bundle';
import { PlatformFunction } from './platform-function';

/**
 * Lambda gives CPU in proportion to memory (one vCPU at 1769 MB), and a cold start is CPU work:
 * bench/RESULTS.md (cold-start section) measured 126 ms to import the bundle on one full core of
 * the bench machine. At 1024 MB (about 0.58 vCPU) that is roughly 220 ms; at 512 MB it would be
 * about 440 ms. Measure again before changing it.
 */
export const API_MEMORY_MB = 1024;

/**
 * An HTTP API integration waits 29 s at most (the limit CDK enforces), and a runner's claim
 * long-polls up to 25 s (K8SM_CLAIM_WAIT_SECONDS). The function stops a second before the gateway
 * would, so a request that runs over ends as a Lambda timeout in the function's own log rather
 * than an anonymous 503.
 */
const INTEGRATION_TIMEOUT = Duration.seconds(29);
const API_TIMEOUT = INTEGRATION_TIMEOUT.minus(Duration.seconds(1));
const CLAIM_WAIT_SECONDS = 25;

/**
 * An idle runner always has one claim waiting, and Lambda bills the wait by memory: at the API's
 * 1024 MB ten idle runners cost about $346 a month, at 256 MB about $87 (docs/cloud.md). The claim
 * does little CPU work (one queue read, sealing at most one work order), so a slower cold start at a
 * quarter of the CPU is paid once per runner, not per request.
 */
export const CLAIM_MEMORY_MB = 256;
export const CLAIM_PATH = '/api/v1/runner/jobs/claim';

export interface ApiProps {
  readonly bundle: LambdaBundle;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Steady requests per second across the stage. @default 50 */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
  /**
   * Concurrent API requests at most, so a flood cannot take the account's whole Lambda pool (the
   * sweeps and claims keep theirs). @default 100
   */
  readonly apiConcurrency?: number;
  /** Runners that can wait for work at once; one more gets a throttle and backs off. @default 50 */
  readonly claimConcurrency?: number;
}

/**
 * The `/api/v1` Lambda behind an HTTP API (payload v2, which functions/lambda/api.ts handles).
 *
 * No WAF: AWS WAF attaches to REST APIs, CloudFront, ALBs and the like but not to HTTP APIs, so
 * the stage's throttle is the limit here. Traffic that arrives through the web distribution's
 * `/api/*` path could get a WAF on CloudFront instead (a us-east-1 web ACL).
 */
export class Api extends Construct {
  readonly fn: PlatformFunction;
  /** Serves only CLAIM_PATH: the runners' long poll, apart from the requests people wait on. */
  readonly claimFn: PlatformFunction;
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** `<id>.execute-api.<region>.amazonaws.com`, for a CloudFront origin. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.fn = new PlatformFunction(this, 'Function', {
      bundle: props.bundle,
      handler: 'api.handler',
      description: 'k8s-manage /api/v1',
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      // Set, not defaulted, so it moves together with the timeouts above.
      environment: { K8SM_CLAIM_WAIT_SECONDS: String(CLAIM_WAIT_SECONDS) },
      reservedConcurrency: props.apiConcurrency ?? 100,
    });
    this.claimFn = new PlatformFunction(this, 'ClaimFunction', {
      bundle: props.bundle,
      handler: 'claim.handler',
      description: 'k8s-manage runner claims (long poll)',
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      memorySize: CLAIM_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment: { K8SM_CLAIM_WAIT_SECONDS: String(CLAIM_WAIT_SECONDS) },
      reservedConcurrency: props.claimConcurrency ?? 50,
    });
    this.httpApi = new apigwv2.HttpApi(this, 'Http', {
      description: 'k8s-manage API',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Lambda', this.fn, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        timeout: INTEGRATION_TIMEOUT,
      }),
    });
    this.httpApi.addRoutes({
      path: CLAIM_PATH,
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Claim', this.claimFn, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        timeout: INTEGRATION_TIMEOUT,
      }),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.domainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));
  }

  /** `https://<domainName>`, no path: what a runner's `--api` takes. */
  get origin(): string {
    return this.httpApi.apiEndpoint;
  }
}

/** HTTP API context variables; no header is logged, so no token or cookie can end up here. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  route: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  bytes: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
};
