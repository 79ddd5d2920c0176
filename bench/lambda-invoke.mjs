// Plays the Lambda runtime for one cold start: import a bundled handler, send it API Gateway HTTP API
// v2 events, print the results as one JSON line `{"results":[..],"timing":{..}}` (times in ms since the
// process started). Plain JavaScript so that `node` runs it with nothing
// else loaded: the cold-start bench times this process, and the bundle test runs it with an empty
// environment.
//
//   node bench/lambda-invoke.mjs <bundle.mjs> ['[{"method":"GET","path":"/api/v1/me","headers":{..},"body":".."}]']
// With no requests, one GET /api/v1/health.
import { pathToFileURL } from 'node:url';

const started = performance.now();

const [bundle, requestsJson] = process.argv.slice(2);
if (!bundle) {
  process.stderr.write('usage: node lambda-invoke.mjs <bundle.mjs> [requests as JSON]\n');
  process.exit(2);
}
const requests = requestsJson ? JSON.parse(requestsJson) : [{ method: 'GET', path: '/api/v1/health' }];

/** The shape API Gateway sends for a payload-format-2.0 HTTP API integration. */
function httpApiEvent({ method, path, headers = {}, body }) {
  const [rawPath, rawQueryString = ''] = path.split('?');
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    cookies: [],
    headers: {
      accept: 'application/json',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'lambda-invoke/1',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'lambda-invoke/1',
      },
      requestId: `req-${now}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'k8sm-api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:k8sm-api',
  memoryLimitInMB: '1024',
  awsRequestId: 'invoke-1',
  logGroupName: '/aws/lambda/k8sm-api',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
};

const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const results = [];
for (const r of requests) results.push(await handler(httpApiEvent(r), context));
const timing = { started, imported, answered: performance.now() };
process.stdout.write(`${JSON.stringify({ results, timing })}\n`);
// Exit at once, like a frozen Lambda: a pool kept open by a request must not stretch the timing.
process.exit(0);
