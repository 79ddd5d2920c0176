import type { Database } from '../functions/platform/db/types';
import { COMPOSE_FILE, K8S_MANIFEST } from '../test/support/governance';

/**
 * A governance dataset written with set-based SQL (`insert … select … from generate_series`), so
 * 100k releases and 1M audit events load in seconds on Postgres instead of hours through the API.
 *
 * Shape: `projects` projects × 3 environments (development, staging, production) × 2 targets (k8s
 * and compose) = 6 targets per project, 5 services per project. Release i runs on target i mod
 * targets; production releases need a ticket (one each). Every release has 9 audit events of its
 * own (preview, job, four steps, completion, outcome) and every ticket 3 (requested, decided,
 * used), spread through the stream the way a release's life spans other releases' lives.
 *
 * The hash chain of the seeded events is NOT valid (prev_hash/hash are md5 filler of the right
 * length): nothing here verifies the chain, and computing 1M SHA-256 links in order would only
 * slow the seeding down.
 */
export type SeedShape = { projects: number; releases: number };

export const TARGETS_PER_PROJECT = 6;
export const SERVICES_PER_PROJECT = 5;
export const RELEASE_EVENTS = 9;
export const TICKET_EVENTS = 3;
/** How many other releases start while one is still collecting events (spreads a timeline over the heap). */
const SPAN = 40;

const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;
export const releaseId = (i: number) => `rel_${String(i).padStart(26, '0')}`;
export const ticketId = (i: number) => `tkt_${String(i).padStart(26, '0')}`;
/** Target index → tier: targets 0,1 development, 2,3 staging, 4,5 production within a project. */
export const isProduction = (i: number) => Math.floor((i % TARGETS_PER_PROJECT) / 2) === 2;

/** SQL for the fixed frame: projects, environments, one credential/cluster/host per project, targets, services. */
function frameSql(s: SeedShape, adminId: string, now: string): string[] {
  const P = s.projects;
  const T = P * TARGETS_PER_PROJECT;
  const S = P * SERVICES_PER_PROJECT;
  const ts = `'${now}'::timestamptz`;
  return [
    `insert into projects (id, name, created_at)
     select 'prj_b' || ${pad('p', 3)}, 'bench-' || p, ${ts} from generate_series(0, ${P - 1}) p`,
    // Environments name the pool their jobs run on, and the pool must exist (a foreign key).
    `insert into runner_pools (id, name, project_id, created_at, updated_at)
     values ('pool_bench', 'bench', null, ${ts}, ${ts})`,
    `insert into environments (id, project_id, name, tier, runner_pool_id, created_at, updated_at)
     select 'env_b' || ${pad('n', 4)}, 'prj_b' || ${pad('n / 3', 3)},
            (array['dev','stage','prod'])[n % 3 + 1],
            (array['development','staging','production'])[n % 3 + 1],
            'pool_bench', ${ts}, ${ts}
     from generate_series(0, ${P * 3 - 1}) n`,
    `insert into credentials (id, project_id, name, kind, metadata, envelope, created_by, created_at, updated_at)
     select 'cred_b' || ${pad('p', 3)}, 'prj_b' || ${pad('p', 3)}, 'bench', 'token', '{}'::jsonb,
            '{"v":1,"alg":"A256GCM","ciphertext":"","nonce":"","tag":"","wrapped_key":"","key_id":"none"}'::jsonb,
            '${adminId}', ${ts}, ${ts}
     from generate_series(0, ${P - 1}) p`,
    `insert into clusters (id, project_id, name, cluster_source, mode, server, credential_id, created_at, updated_at)
     select 'cls_b' || ${pad('p', 3)}, 'prj_b' || ${pad('p', 3)}, 'c1', 'external_managed', 'token',
            'https://127.0.0.1:6443', 'cred_b' || ${pad('p', 3)}, ${ts}, ${ts}
     from generate_series(0, ${P - 1}) p`,
    `insert into hosts (id, project_id, name, address, port, username, credential_id, created_at, updated_at)
     select 'host_b' || ${pad('p', 3)}, 'prj_b' || ${pad('p', 3)}, 'h1', '127.0.0.1', 22, 'deploy',
            'cred_b' || ${pad('p', 3)}, ${ts}, ${ts}
     from generate_series(0, ${P - 1}) p`,
    // Target t: project t / 6, environment (t / 2) % 3 of it, k8s when t is even.
    `insert into deploy_targets (id, project_id, environment_id, name, runtime_type, cluster_id, namespace,
                                 host_ids, compose_project, created_at, updated_at)
     select 'tgt_b' || ${pad('t', 4)}, 'prj_b' || ${pad(`t / ${TARGETS_PER_PROJECT}`, 3)},
            'env_b' || ${pad(`(t / ${TARGETS_PER_PROJECT}) * 3 + (t / 2) % 3`, 4)}, 'target-' || t,
            case when t % 2 = 0 then 'k8s' else 'compose' end,
            case when t % 2 = 0 then 'cls_b' || ${pad(`t / ${TARGETS_PER_PROJECT}`, 3)} end,
            case when t % 2 = 0 then 'web' end,
            case when t % 2 = 0 then '{}'::text[] else array['host_b' || ${pad(`t / ${TARGETS_PER_PROJECT}`, 3)}] end,
            case when t % 2 = 0 then null else 'web' end,
            ${ts}, ${ts}
     from generate_series(0, ${T - 1}) t`,
    `insert into services (id, project_id, name, k8s_manifest, compose_file, secret_variables, created_at, updated_at)
     select 'svc_b' || ${pad('n', 4)}, 'prj_b' || ${pad(`n / ${SERVICES_PER_PROJECT}`, 3)}, 'svc-' || n,
            $k8s$${K8S_MANIFEST}$k8s$, $compose$${COMPOSE_FILE}$compose$, array['API_KEY'], ${ts}, ${ts}
     from generate_series(0, ${S - 1}) n`,
  ];
}

/** The same templates the governance tests use. */
export { COMPOSE_FILE, K8S_MANIFEST };

/** The target and service the two template previews (one per runtime) are made on. */
export const TEMPLATE_TARGETS = { k8s: 'tgt_b0000', compose: 'tgt_b0001' } as const;
export const TEMPLATE_SERVICE = 'svc_b0000';

/**
 * Per release i (1-based): target t = i mod T; state from a fixed pseudo-random h and whether it
 * is among the newest 0.5% (those are still in preview or waiting for a decision).
 */
function releaseSql(s: SeedShape, adminId: string, base: string): string[] {
  const R = s.releases;
  const T = s.projects * TARGETS_PER_PROJECT;
  const newest = R - Math.ceil(R / 200);
  const at = (expr: string) => `('${base}'::timestamptz + (${expr}) * interval '1 minute')`;
  // i, t, prod, h and state, shared by the ticket and the release inserts.
  const src = `
    with g as (
      select i, i % ${T} as t, ((i % ${T}) % ${TARGETS_PER_PROJECT}) / 2 = 2 as prod,
             (i * 7919) % 100 as h, i > ${newest} as fresh
      from generate_series(1, ${R}) i
    ), s as (
      select g.*, case
        when prod and fresh then 'pending_approval'
        when prod then case when h < 80 then 'applied' when h < 88 then 'failed'
                            when h < 93 then 'rejected' else 'expired' end
        when fresh and h < 50 then 'preview'
        else case when h < 88 then 'applied' when h < 95 then 'failed' else 'expired' end
      end as state
      from g
    )`;
  return [
    `insert into approval_tickets (id, project_id, environment_id, kind, resource_type, resource_id, status,
                                   risk_level, requested_by, decided_by, decision_comment, decided_at, used_at,
                                   expires_at, created_at)
     ${src}
     select 'tkt_' || ${pad('i', 26)}, 'prj_b' || ${pad(`t / ${TARGETS_PER_PROJECT}`, 3)},
            'env_b' || ${pad(`(t / ${TARGETS_PER_PROJECT}) * 3 + 2`, 4)}, 'release_apply', 'release',
            'rel_' || ${pad('i', 26)},
            case state when 'pending_approval' then 'pending' when 'rejected' then 'rejected'
                       when 'expired' then 'expired' else 'used' end,
            'high', '${adminId}',
            case when state = 'pending_approval' or state = 'expired' then null else 'usr_bench_approver' end,
            case when state = 'rejected' then 'not during the freeze' when state in ('applied', 'failed') then 'ok' end,
            case when state in ('applied', 'failed', 'rejected') then ${at('i + 5')} end,
            case when state in ('applied', 'failed') then ${at('i + 6')} end,
            ${at('i + 1440')}, ${at('i + 1')}
     from s where prod`,
    `insert into releases (id, project_id, environment_id, service_id, target_id, runtime_type, strategy,
                           lifecycle_state, approval_required, approval_ticket_id, preview_ref, preview_hash,
                           expires_at, base_release_id, risk_level, checks, diff, variables_masked,
                           rendered_masked, revision_digest, secret_envelope, rollback_of, diagnostics_json,
                           created_by, applied_at, created_at, updated_at)
     ${src}
     select 'rel_' || ${pad('i', 26)}, 'prj_b' || ${pad(`t / ${TARGETS_PER_PROJECT}`, 3)},
            'env_b' || ${pad(`(t / ${TARGETS_PER_PROJECT}) * 3 + (t / 2) % 3`, 4)},
            'svc_b' || ${pad(`(t / ${TARGETS_PER_PROJECT}) * ${SERVICES_PER_PROJECT} + (i / ${T}) % ${SERVICES_PER_PROJECT}`, 4)},
            'tgt_b' || ${pad('t', 4)}, tpl.runtime_type, 'rolling', state, prod,
            case when prod then 'tkt_' || ${pad('i', 26)} end,
            'pvw_' || ${pad('i', 26)}, md5('p' || i) || md5('q' || i), ${at('i + 60')},
            case when i > ${T} then 'rel_' || ${pad(`i - ${T}`, 26)} end,
            case when prod then 'high' else 'low' end,
            tpl.checks, tpl.diff, tpl.variables_masked, tpl.rendered_masked, md5('d' || i) || md5('e' || i),
            tpl.secret_envelope, null,
            case when state = 'failed' then '{"error_code":"ROLLOUT_TIMEOUT","message":"deployment web did not become ready in 300s"}'::jsonb end,
            '${adminId}', case when state = 'applied' then ${at('i + 10')} end, ${at('i')}, ${at('i + 10')}
     from s join releases tpl on tpl.id = case when t % 2 = 0 then $1 else $2 end`,
  ];
}

/**
 * Event (i, k) sorts at position ((i + SPAN·k)·12 + k): a release's events are interleaved with
 * those of the ~SPAN releases around it, the way a stream fills up in practice.
 */
function eventsSql(s: SeedShape, adminId: string, base: string, seqFrom: number): string {
  const R = s.releases;
  const T = s.projects * TARGETS_PER_PROJECT;
  const releaseActions = `array['release.previewed','job.created','release.applying','job.step_recorded',
    'job.step_recorded','job.step_recorded','job.step_recorded','job.completed','release.applied']`;
  const ticketActions = `array['approval.requested','approval.approved','approval.used']`;
  return `
    insert into audit_events (id, seq, action, resource_type, resource_id, project_id, team_id, environment_id,
                              actor_id, source, status, occurred_at, detail, prev_hash, hash)
    with e as (
      select i, k, (i + ${SPAN} * k) * 12 + k as pos, 'release' as rtype, 'rel_' || ${pad('i', 26)} as rid,
             (${releaseActions})[k + 1] as action,
             case when k in (0, 1, 2) then 'api' else 'runner' end as source,
             case k when 0 then 'preview' when 8 then 'applied' when 7 then 'succeeded' else 'running' end as status,
             case when k = 0 then jsonb_build_object('preview_ref', 'pvw_' || ${pad('i', 26)}, 'risk_level', 'low',
                    'approval_required', false, 'revision_digest', md5('d' || i) || md5('e' || i),
                    'base_release_id', null, 'rollback_of', null,
                    'variables', jsonb_build_object('TAG', 'v1.' || i, 'API_KEY', '***'))
                  else jsonb_build_object('job_id', 'job_' || ${pad('i', 26)}, 'step', 'apply', 'attempt', 1,
                    'error_code', null) end as detail
      from generate_series(1, ${R}) i cross join generate_series(0, ${RELEASE_EVENTS - 1}) k
      union all
      select i, k, (i + ${SPAN} * (k + 1)) * 12 + 9 + k, 'approval_ticket', 'tkt_' || ${pad('i', 26)},
             (${ticketActions})[k + 1], 'api',
             (array['pending','approved','used'])[k + 1],
             jsonb_build_object('kind', 'release_apply', 'resource_id', 'rel_' || ${pad('i', 26)})
      from generate_series(1, ${R}) i cross join generate_series(0, ${TICKET_EVENTS - 1}) k
      where ((i % ${T}) % ${TARGETS_PER_PROJECT}) / 2 = 2
    ), n as (select e.*, ${seqFrom} + row_number() over (order by pos) as seq from e)
    select 'evt_' || ${pad('seq', 26)}, seq, action, rtype, rid, 'prj_b' || ${pad(`(i % ${T}) / ${TARGETS_PER_PROJECT}`, 3)}, null,
           'env_b' || ${pad(`((i % ${T}) / ${TARGETS_PER_PROJECT}) * 3 + ((i % ${T}) / 2) % 3`, 4)},
           case when source = 'runner' then 'runner_bench' else '${adminId}' end, source, status,
           '${base}'::timestamptz + seq * interval '1 second', detail,
           md5('h' || (seq - 1)) || md5('g' || (seq - 1)), md5('h' || seq) || md5('g' || seq)
    from n order by seq`;
}

/** Writes the frame; the caller then makes the two template previews through the API. */
export async function seedFrame(database: Database, s: SeedShape, adminId: string, now: Date) {
  for (const q of frameSql(s, adminId, now.toISOString())) await database.query(q);
}

/**
 * Releases and tickets cloned from the template previews' payloads (checks, diff, masked
 * variables, masked rendering, sealed envelope), then the audit stream. No ANALYZE: the caller
 * decides when statistics exist.
 */
export async function seedBulk(
  database: Database,
  s: SeedShape,
  adminId: string,
  templates: { k8s: string; compose: string },
  now: Date,
): Promise<{ releases: number; events: number }> {
  // Releases start 100 days ago, one a minute-ish, so nothing seeded lies in the future.
  const base = new Date(now.getTime() - (s.releases + 2000) * 60_000).toISOString();
  let t = performance.now();
  const [tickets, releases] = releaseSql(s, adminId, base);
  await database.query(tickets!);
  await database.query(releases!, [templates.k8s, templates.compose]);
  const releasesMs = performance.now() - t;
  t = performance.now();
  const [{ max }] = (await database.query<{ max: string | null }>(
    'select max(seq)::text as max from audit_events',
  )) as [{ max: string | null }];
  await database.query(eventsSql(s, adminId, base, Number(max ?? 0)));
  return { releases: releasesMs, events: performance.now() - t };
}

export const expectedEvents = (s: SeedShape) => {
  const T = s.projects * TARGETS_PER_PROJECT;
  let prod = 0;
  for (let i = 1; i <= s.releases; i++) if (Math.floor(((i % T) % TARGETS_PER_PROJECT) / 2) === 2) prod++;
  return { tickets: prod, events: s.releases * RELEASE_EVENTS + prod * TICKET_EVENTS };
};
