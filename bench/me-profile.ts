import { newEnforcer, newModelFromString } from 'casbin';
import { Hono } from 'hono';
import { verify } from 'hono/jwt';
import { verifyAccessToken } from '../functions/api/auth/tokens';
import type { Deps } from '../functions/api/deps';
import { loadCaller } from '../functions/api/rbac/repo';
import { interleave } from './interleave';
import { rawCaller } from './me-baseline';
import { callerSql, preparedCaller } from './me-sql';
import { fmt, median, table } from './stats';

/** A copy of the model in functions/api/rbac/enforcer.ts (not exported there), to time Casbin alone. */
const MODEL = `[request_definition]
r = sub, dom, act
[policy_definition]
p = sub, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "*")) && r.act == p.act`;

export type Parts = {
  jwt: number;
  jwtSignature: number;
  callerDrizzle: number;
  callerRaw: number;
  callerBuild: number;
  callerPrepared: number;
  grants: number;
  newEnforcer: number;
  effective: number;
  log: number;
  healthApi: number;
  healthBare: number;
};

/** The pieces /me is made of, each timed alone, to say where the gap to the baseline lies. */
export async function profileParts(
  deps: Deps,
  app: { request: (path: string) => Response | Promise<Response> },
  token: string,
  userId: string,
  opts: { batches: number; batchSize: number; warmup: number },
): Promise<Parts> {
  const db = deps.database.db;
  const caller = (await loadCaller(db, userId))!;
  const grants = deps.authorizer.fromRows(userId, caller.grants);
  const raw = rawCaller(db, userId);
  const prepared = preparedCaller(db);
  const bare = new Hono().get('/api/v1/health', (c) => c.json({ status: 'ok' }));
  const parts: Record<keyof Parts, () => Promise<unknown> | unknown> = {
    jwt: () => verifyAccessToken(token, deps.jwtKey, deps.clock),
    jwtSignature: () => verify(token, deps.jwtKey, 'HS256'),
    callerDrizzle: () => loadCaller(db, userId),
    callerRaw: raw,
    callerBuild: () => callerSql(db, userId),
    callerPrepared: () => prepared(userId),
    grants: () => deps.authorizer.fromRows(userId, caller.grants),
    newEnforcer: () => newEnforcer(newModelFromString(MODEL)),
    effective: () => grants.effective(),
    log: () =>
      deps.logger.info('request', {
        request_id: 'req_x',
        method: 'GET',
        path: '/api/v1/me',
        status: 200,
        ms: 1,
      }),
    healthApi: async () => (await app.request('/api/v1/health')).text(),
    healthBare: async () => (await bare.request('/api/v1/health')).text(),
  };
  const timings = await interleave(
    Object.entries(parts).map(([name, fn]) => ({
      name,
      run: async (n: number) => {
        for (let i = 0; i < n; i++) await fn();
      },
    })),
    opts,
  );
  return Object.fromEntries([...timings].map(([k, v]) => [k, median(v)])) as Parts;
}

export function partsTable(p: Parts, requestUs: number): string {
  const share = (us: number) => `${fmt((us / requestUs) * 100, 0)}%`;
  const rows: [string, number][] = [
    ["JWT signature check (HS256 via hono/jwt, WebCrypto), paid on a token's first use", p.jwtSignature],
    ['JWT check of a token already verified (`verifyAccessToken`, every later request)', p.jwt],
    ['the caller statement through drizzle (`loadCaller`)', p.callerDrizzle],
    ['the same statement on the raw driver', p.callerRaw],
    ['drizzle building that statement alone (no execution)', p.callerBuild],
    [
      'the same statement through drizzle, prepared once by this bench (as `loadCaller` is)',
      p.callerPrepared,
    ],
    ['`Authorizer.fromRows` (grants from the rows, no enforcer yet)', p.grants],
    ['a Casbin enforcer, created (paid by routes that check a permission)', p.newEnforcer],
    ['grants.effective()', p.effective],
    ['request log line (redact + JSON, sink dropped)', p.log],
    ['the API app answering GET /api/v1/health (routing, request id, JSON)', p.healthApi],
    ['a bare Hono app answering the same', p.healthBare],
  ];
  return table(
    ['part', 'µs/call', 'share of one /me request'],
    rows.map(([k, us]) => [k, fmt(us, 0), share(us)]),
  );
}

/** Counted, not timed: how many statements each variant sends to PGlite per request. */
export type Counts = { appStatements: number; baseStatements: number };

/** What the parts say, with projections computed from them (not measured). */
export function findings(p: Parts, c: Counts, requestUs: number, baselineUs: number): string {
  // Parts are timed apart from the requests; on a loaded machine a difference can come out negative.
  const us = (n: number) => (n > 0 ? `≈ ${fmt(n, 0)} µs` : '≈ 0 µs (within the noise of this run)');
  const drizzle = Math.max(0, p.callerDrizzle - p.callerRaw);
  const stack = Math.max(0, p.healthApi - p.healthBare);
  const explained = drizzle + stack + p.jwt + p.grants + p.effective + p.log;
  const statements =
    c.appStatements > c.baseStatements
      ? `/me sends ${c.appStatements} statements per request, the baseline ${c.baseStatements}: the extra ones are part of the gap.`
      : `/me sends ${c.appStatements} statement(s) per request, as many as the baseline.`;
  return [
    `Findings (one /me request ≈ ${fmt(requestUs, 0)} µs, the baseline ≈ ${fmt(baselineUs, 0)} µs):`,
    '',
    `- The database is most of both (see the CPU table): the caller statement costs ${us(p.callerRaw)} on`,
    `  PGlite's raw driver (the wasm Postgres and its wire protocol, in-process). ${statements}`,
    `- drizzle over the raw driver costs ${us(drizzle)} per statement. \`loadCaller\` builds its statement once per`,
    `  database (\`.prepare()\`), so building it (${us(p.callerBuild)} a call) is not paid per request; a second`,
    `  copy prepared by this bench, for comparison, measured ${us(p.callerPrepared)}. On Postgres it is also a`,
    '  named statement, parsed and planned once per connection (unnamed through the RDS Proxy; docs/cloud.md).',
    `- Authentication, which the baseline skips: the JWT check ${us(p.jwt)} (the signature, ${us(p.jwtSignature)}, is checked on a token's first use only); grants from the rows`,
    `  ${us(p.grants)}. The Casbin enforcer (${us(p.newEnforcer)} to create, more to fill) is built on a route's first`,
    '  permission check, so /me does not pay for it.',
    `- The app's middleware stack without auth or database (request id, routing, JSON; /me also`,
    `  passes from the entry app to its domain's app) costs ${us(stack)} more than a bare Hono route; grants.effective()`,
    `  ${us(p.effective)}, the log line ${us(p.log)}.`,
    `- Of the ${us(requestUs - baselineUs)} gap, ${us(requestUs - baselineUs - explained)} is left unexplained by the parts above (body`,
    '  limit, the deps and authorize middleware, zod-openapi, the response, and parts slowing each',
    '  other when they run together rather than alone).',
  ].join('\n');
}
