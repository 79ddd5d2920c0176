/**
 * Generated from the API's OpenAPI document by `npm run web:client`; do not edit.
 * A test fails when this file and the API disagree.
 */
export interface paths {
    "/ai/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own commands, newest first */
        get: operations["listAiCommands"];
        put?: never;
        /**
         * Give the bridge a command in words: it answers, asks, previews, or refuses with the reason
         * @description A refusal (approve, reject, reveal, cancel, skip the preview, policy, RBAC, credentials, runners) is 200 with status "refused" and its reason; a permission the command needs and the caller lacks is 403 naming it.
         */
        post: operations["createAiCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ai/commands/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller’s commands, with its preview as it stands now */
        get: operations["getAiCommand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ai/commands/{id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer the questions of a command that needs input; it is resolved again with them
         * @description A refusal (approve, reject, reveal, cancel, skip the preview, policy, RBAC, credentials, runners) is 200 with status "refused" and its reason; a permission the command needs and the caller lacks is 403 naming it.
         */
        post: operations["answerAiCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ai/commands/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply the command's preview through the normal apply path (its creator only)
         * @description Needs the apply (or rollback) permissions of what the preview prepares, like POST /deploy/releases/apply; where the policy wants a ticket, the release waits in the one inbox.
         */
        post: operations["confirmAiCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The one inbox: tickets of every kind, newest first */
        get: operations["listInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/inbox/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ticket with what it is for (a release: its diff and risk) */
        get: operations["getTicket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/inbox/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or reject a ticket (never one you requested) */
        post: operations["decideTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/inbox/batch-decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decide several tickets; each is decided on its own and the answer lists each outcome */
        post: operations["decideTickets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the audit stream, oldest first */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one audit event */
        get: operations["getAuditEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check the chain, its MACs, its signed checkpoints and their copies outside the database */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a username and password for a short-lived access token
         * @description Also sets the session cookie (`k8sm_refresh`: httpOnly, SameSite=Strict, Path=/api/v1/auth, Secure except on loopback http) that `POST /auth/refresh` trades for the next access token.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the session of the cookie and clear it
         * @description Revokes every refresh token of the session; access tokens already issued run out on their own (minutes). Requires `Content-Type: application/json`; no body is read.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade the session cookie for a new access token and a new cookie
         * @description The cookie is used once: the answer sets its successor. A cookie used a second time ends the whole session (someone else holds a copy), and so do logout, a password change and a disable. Requires `Content-Type: application/json`; no body is read.
         */
        post: operations["refreshSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cd/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The CD policies of a service, one per environment that has one */
        get: operations["listCdPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cd/policies/{service_id}/{environment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The CD policy of a service in one environment */
        get: operations["getCdPolicy"];
        /**
         * Save what a service does with its builds in one environment
         * @description Automatic actions run as the user who saves the policy, so saving needs the apply (and, with auto_rollback_on_failure, rollback) permissions of the targets’ runtimes; 403 names the missing one. approval: always asks for a ticket even where the project policy does not.
         */
        put: operations["putCdPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List builds the providers reported */
        get: operations["listBuilds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/builds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a build */
        get: operations["getBuild"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List CI pipelines */
        get: operations["listPipelines"];
        put?: never;
        /** Create a CI pipeline of a service; the webhook secret is in this answer only */
        post: operations["createPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a CI pipeline (never its secret) */
        get: operations["getPipeline"];
        put?: never;
        post?: never;
        /** Delete a pipeline: its webhook stops answering, its builds stay */
        delete: operations["deletePipeline"];
        options?: never;
        head?: never;
        /** Change a pipeline's repository, filters, trigger, image template or provider fields */
        patch: operations["patchPipeline"];
        trace?: never;
    };
    "/ci/pipelines/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the webhook secret; the new one is in this answer only, the old one stops at once */
        post: operations["rotatePipelineSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/pipelines/{id}/trigger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the pipeline now through the provider's API, or record the intent
         * @description Where the pipeline has `provider_api_url` and `provider_credential_id`, calls the provider (GitHub workflow dispatch, GitLab pipeline creation, POST to the Jenkins or generic job URL) with a short timeout and answers the attempt with what the provider said; otherwise records the intent (`status: recorded`). Never answers or records the token.
         */
        post: operations["triggerPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/pipelines/{id}/triggers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pipeline's manual and scheduled trigger attempts, newest first */
        get: operations["listPipelineTriggers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/releases/{id}/chain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * service → build → release → ticket → decisions → actors, in one answer
         * @description Needs ci:read; the release, its ticket, decisions and actors only with deploy:release:read and the runtime’s read (otherwise null / empty).
         */
        get: operations["getReleaseChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ci/webhooks/{pipeline_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A provider's delivery: authenticated by its signature, not a token
         * @description The body is read raw and verified the provider’s way before it is parsed: GitHub `X-Hub-Signature-256` (JSON, or form-encoded `payload=`) with `X-GitHub-Delivery` and `X-GitHub-Event` (`push`, `workflow_run`); GitLab `X-Gitlab-Token` with `X-Gitlab-Event-UUID` and `X-Gitlab-Event` (`Push Hook`, `Pipeline Hook`); Jenkins and generic senders Standard Webhooks (`webhook-id`, `webhook-timestamp` within ±5 minutes, `webhook-signature`) with `{run_id, commit, ref, status, artifacts: [{image, digest?}]}`. A delivery id seen before answers `duplicate: true` and changes nothing.
         */
        post: operations["receiveCiWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List clusters */
        get: operations["listClusters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clusters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a cluster */
        get: operations["getCluster"];
        put?: never;
        post?: never;
        /** Delete a cluster no live target is on (kept for the releases that name it) */
        delete: operations["deleteCluster"];
        options?: never;
        head?: never;
        /** Rename a cluster or bind it to another runner pool */
        patch: operations["patchCluster"];
        trace?: never;
    };
    "/clusters/{id}/certificates/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renew a platform-managed cluster's certificates (kubeadm certs renew) as an install task
         * @description Queues a `cert_renew` task on the first control plane of the install that made the cluster; when it succeeds the new admin kubeconfig is sealed in place of the old one and the expiry is kept on the cluster. 409 for a cluster the platform did not install, or while another task is busy on that host.
         */
        post: operations["renewClusterCertificates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clusters/{id}/test-connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test the connection to a cluster from its runner pool (409 NO_RUNNER_POOL without one) */
        post: operations["testClusterConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clusters/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an external cluster by kubeconfig, certificate set or token; checked statically before anything is stored */
        post: operations["importCluster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List credentials (masked) */
        get: operations["listCredentials"];
        put?: never;
        /** Store a credential, envelope-encrypted; the answer describes it and never holds it */
        post: operations["createCredential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/credentials/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a credential (masked) */
        get: operations["getCredential"];
        put?: never;
        post?: never;
        /** Delete a credential no host or cluster uses; its sealed material is destroyed */
        delete: operations["deleteCredential"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/credentials/{id}/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reveal a credential: `{}` asks for a ticket (202); `{approval_ticket}` collects the payload once, after someone else approved (200) */
        post: operations["revealCredential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/credentials/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the material of a credential with new material of the same kind */
        post: operations["rotateCredential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List releases, newest first; releases of runtimes the caller may not read are hidden */
        get: operations["listReleases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a release */
        get: operations["getRelease"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a release no runner has claimed yet (pending_approval or approved)
         * @description Its requester may, and so may a holder of its apply permissions (deploy:release:apply and deploy:<runtime>:apply, or the rollback ones for a rollback release). A still-pending ticket expires, a decided one stays as decided; the queued job ends and the target is free. A claimed (applying) or finished release answers 409.
         */
        post: operations["cancelRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}/revision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The masked revision of a release and its digests; sha256 of masked_revision is masked_digest */
        get: operations["getReleaseRevision"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}/rollback/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Preview returning the target to the revision before this release */
        post: operations["previewRollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}/steps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every step of the release's job(s): name, host, attempt, status, times, error code, masked output excerpt
         * @description The output is what the platform stored: masked with the secrets sealed into the job before it was kept.
         */
        get: operations["getReleaseSteps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What happened to a release, in order: preview, tickets and decisions, runner steps, outcome
         * @description With `after` (the `seq` of the last event the caller holds), only the events after it. Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing new happened.
         */
        get: operations["getReleaseTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply a preview: a ticket where the policy wants one, else the job is queued
         * @description Needs the permissions of what the preview prepares: deploy:release:apply and deploy:<runtime>:apply, or the rollback ones for a rollback preview. One release runs per target at a time: while another is approved or applying, this answers 409 TARGET_BUSY; retry once it ends.
         */
        post: operations["applyRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/releases/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render, validate, diff and assess a release; the preview_ref is what apply accepts */
        post: operations["previewRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Targets with their newest status (healthy, degraded or unknown), and how many of each */
        get: operations["listTargetStatuses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deploy targets */
        get: operations["listTargets"];
        put?: never;
        /** Create a deploy target: a cluster namespace or a set of compose hosts */
        post: operations["createTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/targets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a deploy target */
        get: operations["getTarget"];
        put?: never;
        post?: never;
        /** Delete a target no release is in flight on (kept for the releases that name it) */
        delete: operations["deleteTarget"];
        options?: never;
        head?: never;
        /** Rename a target or repoint it within its runtime (409 while a release on it is in flight) */
        patch: operations["patchTarget"];
        trace?: never;
    };
    "/deploy/targets/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A target's newest status as its runner read it (state unknown, observed_at null before the first) */
        get: operations["getTargetStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deploy/targets/{id}/status/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Have the target's runner read its status now (a read already under way is answered instead) */
        post: operations["refreshTargetStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List environments */
        get: operations["listEnvironments"];
        put?: never;
        /** Create an environment in a project */
        post: operations["createEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an environment */
        get: operations["getEnvironment"];
        put?: never;
        post?: never;
        /** Delete an environment without targets or unfinished work (kept for history) */
        delete: operations["deleteEnvironment"];
        options?: never;
        head?: never;
        /** Rename an environment or bind it to a runner pool */
        patch: operations["patchEnvironment"];
        trace?: never;
    };
    "/environments/{id}/install": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Install a runtime bundle on hosts of the environment (a ticket where the policy wants one)
         * @description The runtime and version must be a bundle of the manifest; the hosts, hosts of the project not busy with another queued or running task of the environment (409). A succeeded install registers a deploy target (k8s: also a platform_managed cluster).
         */
        post: operations["installEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List install tasks of the environment, newest first */
        get: operations["listInstallTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An install task with its steps per host, current step and progress
         * @description Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing about the task changed.
         */
        get: operations["getInstallTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks/{task_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a task no runner has claimed yet (pending_approval or queued)
         * @description Its requester may, and so may a holder of environment:install in the project. A still-pending ticket expires; a running or finished task answers 409.
         */
        post: operations["cancelInstallTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks/{task_id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The full output of every step of the task, in the order recorded
         * @description With `after` (an event seq; 0 for everything), only the step runs recorded or changed since that event, ordered by their newest change, each with that change's `seq` to send as the next `after` (at most `limit`; ask again from the last seq for more). Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing changed.
         */
        get: operations["getInstallTaskLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks/{task_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed task again; the runner resumes at the step that failed */
        post: operations["retryInstallTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/tasks/{task_id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo the steps a task ran, newest first, as a new task (a ticket where the policy wants one)
         * @description Once it succeeds, the target (and cluster) the install registered are retired (soft-deleted); 409 IN_USE while a release is in flight on that target or the cluster serves other targets.
         */
        post: operations["rollbackInstallTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check every host's installed files against its stored fingerprint (drift), as a runner job
         * @description Each host whose last successful install recorded a fingerprint is read over SSH; 409 when no host has one. The report is at `/environments/{id}/install/verify/{job_id}`.
         */
        post: operations["verifyEnvironmentInstall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/install/verify/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The drift report of a verify job: per host none, changed or missing, file by file
         * @description While the job is queued or running every host has `drift: null`. A host the runner could not read keeps `drift: null` and says why in `error_code`.
         */
        get: operations["getInstallDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/environments/{id}/uninstall": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove an installed runtime from hosts of the environment
         * @description Without runtime and version, removes what the newest succeeded install covering the hosts put there. Once it succeeds, the target (and cluster) that installs of this runtime and version on these hosts registered are retired (soft-deleted); 409 IN_USE while a release is in flight on such a target or the cluster serves other targets.
         */
        post: operations["uninstallEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List hosts */
        get: operations["listHosts"];
        put?: never;
        /** Register an SSH host with the credential that logs in to it */
        post: operations["createHost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hosts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a host, with its pinned host key */
        get: operations["getHost"];
        put?: never;
        post?: never;
        /** Delete a host no live target names (kept for the releases and tasks that name it) */
        delete: operations["deleteHost"];
        options?: never;
        head?: never;
        /** Change a host's name, address, port, user or credential (a new address or port clears the pinned key) */
        patch: operations["patchHost"];
        trace?: never;
    };
    "/hosts/{id}/host-key/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clear a host's pinned SSH host key; the next first contact pins again */
        post: operations["resetHostKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hosts/{id}/test-connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test the connection to a host from its runner pool (409 NO_RUNNER_POOL without one) */
        post: operations["testHostConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/install/bundles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The runtimes and versions an install may ask for, with the platforms each supports
         * @description From the bundle manifest the platform checks install requests against; empty where the platform ships no bundles.
         */
        get: operations["listInstallBundles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List jobs, newest first, each queued one with why it waits
         * @description Jobs of projects where the caller holds runner:read; a release job also needs deploy:<runtime>:read there. waiting_reason: no_runner_pool, no_online_runner, or queued with its 1-based position in the pool.
         */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a job with its steps (masked output) and, while queued, why it waits */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the key every data key is wrapped with (a new local master key, or the configured KMS key) and re-wrap every stored data key */
        post: operations["rotateKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller, their roles and effective permissions */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the caller’s password */
        post: operations["changeMyPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deliveries, e.g. the failed ones (`status=failed`) */
        get: operations["listNotificationDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a delivery with its tries (time, HTTP status, error) */
        get: operations["getNotificationDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/deliveries/{id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again: back to pending with a full set of tries, sent by the next sweep */
        post: operations["redeliverNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notification endpoints */
        get: operations["listNotificationEndpoints"];
        put?: never;
        /**
         * Send a project's audit events to a URL; the signing secret is in this answer only
         * @description `events` are audit event names or prefixes (`release.*`, `approval.*`, `environment.install_*`, `install_task.*`, `build.*`). The URL must not resolve to a link-local or metadata address, nor (where `K8SM_OUTBOUND_ALLOW_PRIVATE` is false) to a loopback or private one outside `K8SM_NOTIFY_ALLOW_CIDRS`.
         */
        post: operations["createNotificationEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a notification endpoint (never its secret) */
        get: operations["getNotificationEndpoint"];
        put?: never;
        post?: never;
        /** Delete an endpoint: nothing more is sent to it, its deliveries stay listed */
        delete: operations["deleteNotificationEndpoint"];
        options?: never;
        head?: never;
        /** Change an endpoint's URL or events */
        patch: operations["patchNotificationEndpoint"];
        trace?: never;
    };
    "/notifications/endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the signing secret; the new one is in this answer only */
        post: operations["rotateNotificationEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the projects the caller can read */
        get: operations["listProjects"];
        put?: never;
        /** Create a project */
        post: operations["createProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a project */
        get: operations["getProject"];
        put?: never;
        post?: never;
        /** Delete a project without environments or unfinished work (kept for history) */
        delete: operations["deleteProject"];
        options?: never;
        head?: never;
        /** Rename a project */
        patch: operations["patchProject"];
        trace?: never;
    };
    "/projects/{id}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The approval policy of a project */
        get: operations["getProjectPolicy"];
        /** Change the approval policy of a project (merges the fields given) */
        put: operations["putProjectPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers and every migration is applied */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/role-bindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List role bindings */
        get: operations["listRoleBindings"];
        put?: never;
        /** Give a user a role in one project, or in all of them (no project_id) */
        post: operations["createRoleBinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/role-bindings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role binding */
        get: operations["getRoleBinding"];
        put?: never;
        post?: never;
        /** Remove a role binding */
        delete: operations["deleteRoleBinding"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List roles */
        get: operations["listRoles"];
        put?: never;
        /** Create a role from permissions */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role */
        get: operations["getRole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Replace the permissions of a role (built-in roles too) */
        patch: operations["patchRole"];
        trace?: never;
    };
    "/runner-pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List runner pools: the global ones and those of projects the caller may see */
        get: operations["listRunnerPools"];
        put?: never;
        /** Create a runner pool (for one project, or for all with project_id absent) */
        post: operations["createRunnerPool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner-pools/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a runner pool (global, or of a project the caller may see) with its queue and online runners
         * @description queue counts the pool's queued and running jobs from the job rows (not queue attributes); online_runners are those seen within the online window.
         */
        get: operations["getRunnerPool"];
        put?: never;
        post?: never;
        /** Delete a runner pool nothing is bound to and no live runner is in (kept for history) */
        delete: operations["deleteRunnerPool"];
        options?: never;
        head?: never;
        /** Rename a runner pool */
        patch: operations["patchRunnerPool"];
        trace?: never;
    };
    "/runner-pools/{id}/registration-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint a one-time registration token (shown once) */
        post: operations["createRegistrationToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner/jobs/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish a job with its outcome and diagnostics */
        post: operations["completeJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner/jobs/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Extend the lease on a job */
        post: operations["heartbeatJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner/jobs/{id}/steps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a step (idempotent on job, step and attempt) */
        post: operations["reportJobStep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner/jobs/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Long poll for a job of the runner pool (204 when idle) */
        post: operations["claimJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runner/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A runner registers with a one-time token and its public key */
        post: operations["registerRunner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List runners with online state, last contact and current jobs */
        get: operations["listRunners"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runners/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a runner with online state, last contact and current jobs */
        get: operations["getRunner"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runners/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a runner: its token stops working at once */
        post: operations["revokeRunner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runners/{id}/rotate-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a runner token (the old one stops working at once; shown once) */
        post: operations["rotateRunnerToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List services */
        get: operations["listServices"];
        put?: never;
        /** Create a service: its Kubernetes and/or compose template */
        post: operations["createService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service */
        get: operations["getService"];
        put?: never;
        post?: never;
        /** Delete a service no release is in flight for (kept for the releases that name it) */
        delete: operations["deleteService"];
        options?: never;
        head?: never;
        /** Change a service's name, templates, secret variables or description */
        patch: operations["patchService"];
        trace?: never;
    };
    "/services/{id}/variables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The placeholders the service uses on a target, which are secret, and the values of the target’s applied release of this service (secrets as ***)
         * @description Needs service:read and target:read. An unknown target is 404; a target of another project, or of a runtime the service has no template for, is 422.
         */
        get: operations["getServiceVariables"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: operations["listUsers"];
        put?: never;
        /** Create a user */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Disable or re-enable a user */
        patch: operations["patchUser"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CertRenewAccepted: {
            environment_id: string;
            job_id: string;
            /** @enum {string} */
            status: "queued";
            task_id: string;
        };
        Error: {
            error: {
                /** @example VALIDATION_FAILED */
                code: string;
                fields: {
                    message: string;
                    path: string;
                }[];
                message: string;
                request_id: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAiCommands: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Commands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            created_by: string;
                            id: string;
                            /** @enum {string} */
                            intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                            interpreter: string;
                            plan: {
                                step: number;
                                summary: string;
                                tool: string;
                            }[];
                            preview?: {
                                approval_required: boolean;
                                approval_ticket: string | null;
                                checks: {
                                    age_seconds?: number | null;
                                    detail: string;
                                    name: string;
                                    observed_at?: string | null;
                                    source?: string;
                                    /** @enum {string} */
                                    status: "pass" | "warn" | "fail";
                                }[];
                                created_at: string;
                                created_by: string;
                                diagnostics_json: {
                                    [key: string]: unknown;
                                } | null;
                                diagnostics_trimmed: boolean;
                                diff: {
                                    summary: {
                                        images_changed: {
                                            container: string;
                                            from: string | null;
                                            resource: string;
                                            to: string | null;
                                        }[];
                                        replicas_changed: {
                                            from: number | null;
                                            resource: string;
                                            to: number | null;
                                        }[];
                                        resources_added: string[];
                                        resources_removed: string[];
                                        scaled_to_zero: string[];
                                        secret_variables: {
                                            /** @enum {string} */
                                            change: "added" | "removed" | "changed" | "unchanged";
                                            name: string;
                                        }[];
                                        secrets: {
                                            /** @enum {string} */
                                            change: "added" | "removed" | "changed" | "unchanged";
                                            key: string;
                                            name: string;
                                        }[];
                                    };
                                    unified: string;
                                };
                                environment_id: string;
                                expires_at: string;
                                id: string;
                                /** @enum {string} */
                                lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                                preview_ref: string | null;
                                project_id: string;
                                release_id: string;
                                /** @enum {string} */
                                risk_level: "low" | "medium" | "high" | "critical";
                                risk_reasons: {
                                    detail: string;
                                    /** @enum {string} */
                                    rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                                }[];
                                rollback_of: string | null;
                                /** @enum {string} */
                                runtime_type: "k8s" | "compose";
                                service_id: string;
                                /** @enum {string} */
                                status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                                /** @enum {string} */
                                strategy: "rolling" | "recreate";
                                target_id: string;
                                updated_at: string;
                            };
                            project_id: string | null;
                            provider_requests: unknown[];
                            questions?: {
                                choices: {
                                    label: string;
                                    value: string;
                                }[];
                                field: string;
                                prompt: string;
                            }[];
                            reason?: string;
                            release_id: string | null;
                            result?: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                            text: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAiCommand: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    project_id?: string;
                    text: string;
                };
            };
        };
        responses: {
            /** @description The command was understood and declined: status "refused" with its reason */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        created_by: string;
                        id: string;
                        /** @enum {string} */
                        intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                        interpreter: string;
                        plan: {
                            step: number;
                            summary: string;
                            tool: string;
                        }[];
                        preview?: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        };
                        project_id: string | null;
                        provider_requests: unknown[];
                        questions?: {
                            choices: {
                                label: string;
                                value: string;
                            }[];
                            field: string;
                            prompt: string;
                        }[];
                        reason?: string;
                        release_id: string | null;
                        result?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                        text: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The command: answered, previewed, asking, or failed with its reason */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        created_by: string;
                        id: string;
                        /** @enum {string} */
                        intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                        interpreter: string;
                        plan: {
                            step: number;
                            summary: string;
                            tool: string;
                        }[];
                        preview?: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        };
                        project_id: string | null;
                        provider_requests: unknown[];
                        questions?: {
                            choices: {
                                label: string;
                                value: string;
                            }[];
                            field: string;
                            prompt: string;
                        }[];
                        reason?: string;
                        release_id: string | null;
                        result?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                        text: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAiCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The command */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        created_by: string;
                        id: string;
                        /** @enum {string} */
                        intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                        interpreter: string;
                        plan: {
                            step: number;
                            summary: string;
                            tool: string;
                        }[];
                        preview?: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        };
                        project_id: string | null;
                        provider_requests: unknown[];
                        questions?: {
                            choices: {
                                label: string;
                                value: string;
                            }[];
                            field: string;
                            prompt: string;
                        }[];
                        reason?: string;
                        release_id: string | null;
                        result?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                        text: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    answerAiCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    answers: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The command */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        created_by: string;
                        id: string;
                        /** @enum {string} */
                        intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                        interpreter: string;
                        plan: {
                            step: number;
                            summary: string;
                            tool: string;
                        }[];
                        preview?: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        };
                        project_id: string | null;
                        provider_requests: unknown[];
                        questions?: {
                            choices: {
                                label: string;
                                value: string;
                            }[];
                            field: string;
                            prompt: string;
                        }[];
                        reason?: string;
                        release_id: string | null;
                        result?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                        text: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    confirmAiCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The confirmed command, with its release_id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        created_by: string;
                        id: string;
                        /** @enum {string} */
                        intent: "deploy" | "rollback" | "status" | "list" | "explain_failure" | "unknown";
                        interpreter: string;
                        plan: {
                            step: number;
                            summary: string;
                            tool: string;
                        }[];
                        preview?: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        };
                        project_id: string | null;
                        provider_requests: unknown[];
                        questions?: {
                            choices: {
                                label: string;
                                value: string;
                            }[];
                            field: string;
                            prompt: string;
                        }[];
                        reason?: string;
                        release_id: string | null;
                        result?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "needs_input" | "refused" | "answered" | "previewed" | "confirmed" | "failed";
                        text: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInbox: {
        parameters: {
            query?: {
                awaiting_my_decision?: "true" | "false";
                cursor?: string;
                environment_id?: string;
                limit?: number;
                mine?: "true" | "false";
                project_id?: string;
                risk_level?: "low" | "medium" | "high" | "critical";
                status?: "pending" | "approved" | "rejected" | "expired" | "used";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tickets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            decided_at: string | null;
                            decided_by: string | null;
                            decision_comment: string | null;
                            environment_id: string | null;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            kind: "release_apply" | "release_rollback" | "install" | "credential_reveal";
                            masked_digest: string | null;
                            project_id: string;
                            requested_by: string;
                            resource_id: string;
                            resource_type: string;
                            revision_digest: string | null;
                            /** @enum {string|null} */
                            risk_level: "low" | "medium" | "high" | "critical" | null;
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "expired" | "used";
                            ticket_id: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ticket */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        decided_at: string | null;
                        decided_by: string | null;
                        decision_comment: string | null;
                        environment_id: string | null;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        kind: "release_apply" | "release_rollback" | "install" | "credential_reveal";
                        masked_digest: string | null;
                        project_id: string;
                        requested_by: string;
                        resource_id: string;
                        resource_type: string;
                        revision_digest: string | null;
                        /** @enum {string|null} */
                        risk_level: "low" | "medium" | "high" | "critical" | null;
                        /** @enum {string} */
                        status: "pending" | "approved" | "rejected" | "expired" | "used";
                        subject: {
                            [key: string]: unknown;
                        } | null;
                        ticket_id: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    comment?: string;
                    /** @enum {string} */
                    decision: "approve" | "reject";
                };
            };
        };
        responses: {
            /** @description The decided ticket */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        decided_at: string | null;
                        decided_by: string | null;
                        decision_comment: string | null;
                        environment_id: string | null;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        kind: "release_apply" | "release_rollback" | "install" | "credential_reveal";
                        masked_digest: string | null;
                        project_id: string;
                        requested_by: string;
                        resource_id: string;
                        resource_type: string;
                        revision_digest: string | null;
                        /** @enum {string|null} */
                        risk_level: "low" | "medium" | "high" | "critical" | null;
                        /** @enum {string} */
                        status: "pending" | "approved" | "rejected" | "expired" | "used";
                        ticket_id: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideTickets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    comment?: string;
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    ticket_ids: string[];
                };
            };
        };
        responses: {
            /** @description One outcome per ticket */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            /** @enum {string} */
                            outcome: "approved" | "rejected" | "refused";
                            ticket_id: string;
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                action?: "auth.login_succeeded" | "auth.login_failed" | "auth.refreshed" | "auth.refresh_failed" | "auth.logged_out" | "user.created" | "user.updated" | "user.password_changed" | "role.created" | "role.updated" | "role_binding.created" | "role_binding.deleted" | "project.created" | "project.updated" | "project.deleted" | "environment.created" | "environment.updated" | "environment.deleted" | "environment.install_step_started" | "environment.install_step_succeeded" | "environment.install_step_failed" | "install_task.pending_approval" | "install_task.queued" | "install_task.running" | "install_task.succeeded" | "install_task.failed" | "install_task.rejected" | "install_task.expired" | "install_task.rolled_back" | "install_task.cancelled" | "install_task.retried" | "install_task.registered" | "install_task.retired" | "cluster.certificates_renew_requested" | "cluster.certificates_renewed" | "environment.install_verify_requested" | "environment.install_verified" | "credential.created" | "credential.rotated" | "credential.deleted" | "credential.reveal_requested" | "credential.revealed" | "cluster.imported" | "cluster.created" | "cluster.test_requested" | "cluster.tested" | "cluster.updated" | "cluster.deleted" | "host.created" | "host.updated" | "host.deleted" | "host.host_key_pinned" | "host.host_key_reset" | "host.test_requested" | "host.tested" | "target.created" | "target.updated" | "target.deleted" | "target.status_requested" | "service.created" | "service.updated" | "service.deleted" | "policy.updated" | "approval.requested" | "approval.approved" | "approval.rejected" | "approval.expired" | "approval.used" | "release.previewed" | "release.pending_approval" | "release.approved" | "release.rejected" | "release.expired" | "release.cancelled" | "release.applying" | "release.applied" | "release.failed" | "release.rollback_requested" | "release.rollback_completed" | "release.rollback_failed" | "job.created" | "job.step_recorded" | "job.completed" | "retention.trimmed" | "keys.rotated" | "runner_pool.created" | "runner_pool.updated" | "runner_pool.deleted" | "runner_pool.token_created" | "runner.registered" | "runner.revoked" | "runner.token_rotated" | "pipeline.created" | "pipeline.updated" | "pipeline.deleted" | "pipeline.secret_rotated" | "pipeline.webhook_refused" | "pipeline.triggered" | "build.received" | "build.updated" | "build.timed_out" | "cd_policy.saved" | "build.deployed" | "notification_endpoint.created" | "notification_endpoint.updated" | "notification_endpoint.deleted" | "notification_endpoint.secret_rotated" | "notification_delivery.redelivered" | "ai.command_created" | "ai.command_answered" | "ai.command_confirmed";
                cursor?: string;
                limit?: number;
                project_id?: string;
                resource_id?: string;
                resource_type?: string;
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events in chain order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            actor_id: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            environment_id: string | null;
                            event_id: string;
                            hash: string;
                            id: string;
                            occurred_at: string;
                            prev_hash: string;
                            project_id: string | null;
                            resource_id: string;
                            resource_type: string;
                            seq: number;
                            /** @enum {string} */
                            source: "ui" | "api" | "ai" | "runner" | "system";
                            status: string;
                            team_id: string | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        action: string;
                        actor_id: string | null;
                        detail: {
                            [key: string]: unknown;
                        };
                        environment_id: string | null;
                        event_id: string;
                        hash: string;
                        id: string;
                        occurred_at: string;
                        prev_hash: string;
                        project_id: string | null;
                        resource_id: string;
                        resource_type: string;
                        seq: number;
                        /** @enum {string} */
                        source: "ui" | "api" | "ai" | "runner" | "system";
                        status: string;
                        team_id: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verdict */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                        first_bad_event_id: string | null;
                        ok: boolean;
                        truncated_after: string | null;
                        /** @description Events after the newest checkpoint written outside the database: their hashes and MACs were checked, but a cut among them cannot be proven; they never make ok false on their own */
                        unanchored_tail: {
                            count: number;
                            since: string | null;
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description A bearer token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_token: string;
                        expires_in: number;
                        /** @enum {string} */
                        token_type: "Bearer";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out (also when there was no session) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refreshSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A bearer token; the next refresh token is only in the cookie */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_token: string;
                        expires_in: number;
                        /** @enum {string} */
                        token_type: "Bearer";
                    };
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCdPolicies: {
        parameters: {
            query: {
                service_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Policies */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            approval: "inherit" | "always";
                            auto_apply: boolean;
                            auto_preview_on_build: boolean;
                            auto_rollback_on_failure: boolean;
                            created_at: string;
                            environment_id: string;
                            project_id: string;
                            saved_by: string;
                            service_id: string;
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_ids: string[];
                            updated_at: string;
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCdPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                environment_id: string;
                service_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        approval: "inherit" | "always";
                        auto_apply: boolean;
                        auto_preview_on_build: boolean;
                        auto_rollback_on_failure: boolean;
                        created_at: string;
                        environment_id: string;
                        project_id: string;
                        saved_by: string;
                        service_id: string;
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_ids: string[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putCdPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                environment_id: string;
                service_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default inherit
                     * @enum {string}
                     */
                    approval?: "inherit" | "always";
                    /** @default false */
                    auto_apply?: boolean;
                    /** @default false */
                    auto_preview_on_build?: boolean;
                    /** @default false */
                    auto_rollback_on_failure?: boolean;
                    /**
                     * @default rolling
                     * @enum {string}
                     */
                    strategy?: "rolling" | "recreate";
                    target_ids: string[];
                };
            };
        };
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        approval: "inherit" | "always";
                        auto_apply: boolean;
                        auto_preview_on_build: boolean;
                        auto_rollback_on_failure: boolean;
                        created_at: string;
                        environment_id: string;
                        project_id: string;
                        saved_by: string;
                        service_id: string;
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_ids: string[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBuilds: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                pipeline_id?: string;
                project_id?: string;
                service_id?: string;
                status?: "queued" | "running" | "succeeded" | "failed" | "unknown";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Builds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            artifacts: {
                                digest: string | null;
                                image: string;
                            }[];
                            commit: string;
                            created_at: string;
                            deployments: {
                                environment_id: string;
                                error_code: string | null;
                                outcome: string;
                                release_id: string | null;
                                target_id: string;
                            }[];
                            id: string;
                            pipeline_id: string;
                            project_id: string;
                            provider_run_id: string | null;
                            ref: string | null;
                            service_id: string;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "unknown";
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBuild: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The build */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        artifacts: {
                            digest: string | null;
                            image: string;
                        }[];
                        commit: string;
                        created_at: string;
                        deployments: {
                            environment_id: string;
                            error_code: string | null;
                            outcome: string;
                            release_id: string | null;
                            target_id: string;
                        }[];
                        id: string;
                        pipeline_id: string;
                        project_id: string;
                        provider_run_id: string | null;
                        ref: string | null;
                        service_id: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "unknown";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPipelines: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
                service_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pipelines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            branch_filter: string | null;
                            created_at: string;
                            id: string;
                            image: string;
                            next_fire_at: string | null;
                            project_id: string;
                            /** @enum {string} */
                            provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                            provider_api_url: string | null;
                            provider_credential_id: string | null;
                            provider_job: string | null;
                            repository: string;
                            schedule: string | null;
                            secret_rotated_at: string;
                            service_id: string;
                            tag_filter: string | null;
                            /** @enum {string} */
                            trigger: "push" | "tag" | "manual" | "schedule";
                            updated_at: string;
                            webhook_url: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    branch_filter?: string | null;
                    /**
                     * @description An image reference with placeholders among ${SHA}, ${SHORT_SHA}, ${TAG}, ${REF}, ${RUN_NUMBER}
                     * @example registry.internal/web:${SHORT_SHA}
                     */
                    image: string;
                    project_id: string;
                    /** @enum {string} */
                    provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                    /** Format: uri */
                    provider_api_url?: string | null;
                    provider_credential_id?: string | null;
                    provider_job?: string | null;
                    repository: string;
                    /**
                     * @description A 5-field cron expression, in UTC
                     * @example 30 2 * * 1-5
                     */
                    schedule?: string | null;
                    service_id: string;
                    tag_filter?: string | null;
                    /** @enum {string} */
                    trigger: "push" | "tag" | "manual" | "schedule";
                };
            };
        };
        responses: {
            /** @description The pipeline, with its webhook secret (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        branch_filter: string | null;
                        created_at: string;
                        id: string;
                        image: string;
                        next_fire_at: string | null;
                        project_id: string;
                        /** @enum {string} */
                        provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                        provider_api_url: string | null;
                        provider_credential_id: string | null;
                        provider_job: string | null;
                        repository: string;
                        schedule: string | null;
                        secret_rotated_at: string;
                        service_id: string;
                        tag_filter: string | null;
                        /** @enum {string} */
                        trigger: "push" | "tag" | "manual" | "schedule";
                        updated_at: string;
                        webhook_secret: string;
                        webhook_url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pipeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        branch_filter: string | null;
                        created_at: string;
                        id: string;
                        image: string;
                        next_fire_at: string | null;
                        project_id: string;
                        /** @enum {string} */
                        provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                        provider_api_url: string | null;
                        provider_credential_id: string | null;
                        provider_job: string | null;
                        repository: string;
                        schedule: string | null;
                        secret_rotated_at: string;
                        service_id: string;
                        tag_filter: string | null;
                        /** @enum {string} */
                        trigger: "push" | "tag" | "manual" | "schedule";
                        updated_at: string;
                        webhook_url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    branch_filter?: string | null;
                    /**
                     * @description An image reference with placeholders among ${SHA}, ${SHORT_SHA}, ${TAG}, ${REF}, ${RUN_NUMBER}
                     * @example registry.internal/web:${SHORT_SHA}
                     */
                    image?: string;
                    /** Format: uri */
                    provider_api_url?: string | null;
                    provider_credential_id?: string | null;
                    provider_job?: string | null;
                    repository?: string;
                    /**
                     * @description A 5-field cron expression, in UTC
                     * @example 30 2 * * 1-5
                     */
                    schedule?: string | null;
                    tag_filter?: string | null;
                    /** @enum {string} */
                    trigger?: "push" | "tag" | "manual" | "schedule";
                };
            };
        };
        responses: {
            /** @description The pipeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        branch_filter: string | null;
                        created_at: string;
                        id: string;
                        image: string;
                        next_fire_at: string | null;
                        project_id: string;
                        /** @enum {string} */
                        provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                        provider_api_url: string | null;
                        provider_credential_id: string | null;
                        provider_job: string | null;
                        repository: string;
                        schedule: string | null;
                        secret_rotated_at: string;
                        service_id: string;
                        tag_filter: string | null;
                        /** @enum {string} */
                        trigger: "push" | "tag" | "manual" | "schedule";
                        updated_at: string;
                        webhook_url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotatePipelineSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pipeline, with its new webhook secret (shown once) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        branch_filter: string | null;
                        created_at: string;
                        id: string;
                        image: string;
                        next_fire_at: string | null;
                        project_id: string;
                        /** @enum {string} */
                        provider: "github_actions" | "gitlab_ci" | "jenkins" | "generic";
                        provider_api_url: string | null;
                        provider_credential_id: string | null;
                        provider_job: string | null;
                        repository: string;
                        schedule: string | null;
                        secret_rotated_at: string;
                        service_id: string;
                        tag_filter: string | null;
                        /** @enum {string} */
                        trigger: "push" | "tag" | "manual" | "schedule";
                        updated_at: string;
                        webhook_secret: string;
                        webhook_url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triggerPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ref?: string;
                };
            };
        };
        responses: {
            /** @description The attempt and its outcome */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        error: string | null;
                        finished_at: string | null;
                        http_status: number | null;
                        id: string;
                        pipeline_id: string;
                        ref: string | null;
                        requested_by: string | null;
                        slot: string | null;
                        /** @enum {string} */
                        source: "manual" | "schedule";
                        /** @enum {string} */
                        status: "recorded" | "pending" | "succeeded" | "failed";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPipelineTriggers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Attempts, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            error: string | null;
                            finished_at: string | null;
                            http_status: number | null;
                            id: string;
                            pipeline_id: string;
                            ref: string | null;
                            requested_by: string | null;
                            slot: string | null;
                            /** @enum {string} */
                            source: "manual" | "schedule";
                            /** @enum {string} */
                            status: "recorded" | "pending" | "succeeded" | "failed";
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReleaseChain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chain */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actors: {
                            action: string;
                            actor: {
                                source: string;
                                user_id: string | null;
                                username: string | null;
                            };
                            at: string;
                            on_behalf_of: string | null;
                            on_behalf_of_username: string | null;
                        }[];
                        build: {
                            commit: string;
                            id: string;
                            pipeline_id: string;
                            provider_run_id: string | null;
                            ref: string | null;
                        } | null;
                        decisions: {
                            at: string;
                            comment: string | null;
                            decided_by: string;
                            decided_by_username: string | null;
                            decision: string;
                        }[];
                        release: {
                            created_at: string;
                            created_by: string;
                            environment_id: string;
                            id: string;
                            lifecycle_state: string;
                            rollback_of: string | null;
                            target_id: string;
                        } | null;
                        service: {
                            id: string;
                            name: string;
                        };
                        ticket: {
                            created_at: string;
                            id: string;
                            requested_by: string;
                            status: string;
                        } | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    receiveCiWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pipeline_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recorded (or a redelivery) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        build_id: string | null;
                        duplicate: boolean;
                        ignored: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listClusters: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Clusters */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            cluster_source: "external_managed" | "platform_managed";
                            created_at: string;
                            credential_id: string;
                            id: string;
                            last_test: {
                                [key: string]: unknown;
                            } | null;
                            metadata: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            mode: "kubeconfig" | "cert_set" | "token" | "eks";
                            name: string;
                            project_id: string;
                            runner_pool_id: string | null;
                            server: string;
                            updated_at: string;
                            warnings: {
                                message: string;
                                path: string;
                            }[];
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cluster */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        cluster_source: "external_managed" | "platform_managed";
                        created_at: string;
                        credential_id: string;
                        id: string;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        mode: "kubeconfig" | "cert_set" | "token" | "eks";
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        server: string;
                        updated_at: string;
                        warnings: {
                            message: string;
                            path: string;
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    runner_pool_id?: string | null;
                };
            };
        };
        responses: {
            /** @description The cluster */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        cluster_source: "external_managed" | "platform_managed";
                        created_at: string;
                        credential_id: string;
                        id: string;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        mode: "kubeconfig" | "cert_set" | "token" | "eks";
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        server: string;
                        updated_at: string;
                        warnings: {
                            message: string;
                            path: string;
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    renewClusterCertificates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The renew task was queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertRenewAccepted"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    testClusterConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test job was queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @enum {string} */
                        status: "queued";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importCluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ca?: unknown;
                    cert?: unknown;
                    context?: unknown;
                    endpoint?: unknown;
                    key?: unknown;
                    kubeconfig?: unknown;
                    /** @enum {string} */
                    mode: "kubeconfig" | "cert_set" | "token";
                    name: string;
                    project_id: string;
                    runner_pool_id?: string | null;
                    token?: unknown;
                };
            };
        };
        responses: {
            /** @description The cluster, with warnings worth attention */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        cluster_source: "external_managed" | "platform_managed";
                        created_at: string;
                        credential_id: string;
                        id: string;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        mode: "kubeconfig" | "cert_set" | "token" | "eks";
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        server: string;
                        updated_at: string;
                        warnings: {
                            message: string;
                            path: string;
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCredentials: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Credentials */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            fingerprint: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                            metadata: {
                                [key: string]: unknown;
                            };
                            name: string;
                            project_id: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createCredential: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                    name: string;
                    payload: {
                        [key: string]: unknown;
                    };
                    project_id: string;
                };
            };
        };
        responses: {
            /** @description The credential, masked */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        fingerprint: string | null;
                        id: string;
                        /** @enum {string} */
                        kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        project_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credential, masked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        fingerprint: string | null;
                        id: string;
                        /** @enum {string} */
                        kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        project_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revealCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    approval_ticket?: string;
                };
            };
        };
        responses: {
            /** @description The payload: the only response that ever holds a secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credential_id: string;
                        /** @enum {string} */
                        kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                        payload: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description A ticket was opened; collect the payload once it is approved */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_ticket: string;
                        /** @enum {string} */
                        status: "pending";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    payload: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The credential, masked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        fingerprint: string | null;
                        id: string;
                        /** @enum {string} */
                        kind: "ssh_private_key" | "ssh_password" | "kubeconfig" | "cert_set" | "token" | "ci_provider";
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        project_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listReleases: {
        parameters: {
            query?: {
                cursor?: string;
                environment_id?: string;
                limit?: number;
                project_id?: string;
                runtime_type?: "k8s" | "compose";
                service_id?: string;
                status?: string;
                target_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Releases */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            approval_required: boolean;
                            approval_ticket: string | null;
                            checks: {
                                age_seconds?: number | null;
                                detail: string;
                                name: string;
                                observed_at?: string | null;
                                source?: string;
                                /** @enum {string} */
                                status: "pass" | "warn" | "fail";
                            }[];
                            created_at: string;
                            created_by: string;
                            diagnostics_json: {
                                [key: string]: unknown;
                            } | null;
                            diagnostics_trimmed: boolean;
                            diff: {
                                summary: {
                                    images_changed: {
                                        container: string;
                                        from: string | null;
                                        resource: string;
                                        to: string | null;
                                    }[];
                                    replicas_changed: {
                                        from: number | null;
                                        resource: string;
                                        to: number | null;
                                    }[];
                                    resources_added: string[];
                                    resources_removed: string[];
                                    scaled_to_zero: string[];
                                    secret_variables: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        name: string;
                                    }[];
                                    secrets: {
                                        /** @enum {string} */
                                        change: "added" | "removed" | "changed" | "unchanged";
                                        key: string;
                                        name: string;
                                    }[];
                                };
                                unified: string;
                            };
                            environment_id: string;
                            expires_at: string;
                            id: string;
                            /** @enum {string} */
                            lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                            preview_ref: string | null;
                            project_id: string;
                            release_id: string;
                            /** @enum {string} */
                            risk_level: "low" | "medium" | "high" | "critical";
                            risk_reasons: {
                                detail: string;
                                /** @enum {string} */
                                rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                            }[];
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            service_id: string;
                            /** @enum {string} */
                            status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            /** @enum {string} */
                            strategy: "rolling" | "recreate";
                            target_id: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The release, with the build it came from */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_required: boolean;
                        approval_ticket: string | null;
                        build: {
                            commit: string;
                            id: string;
                            pipeline_id: string;
                            provider_run_id: string | null;
                            ref: string | null;
                        } | null;
                        checks: {
                            age_seconds?: number | null;
                            detail: string;
                            name: string;
                            observed_at?: string | null;
                            source?: string;
                            /** @enum {string} */
                            status: "pass" | "warn" | "fail";
                        }[];
                        created_at: string;
                        created_by: string;
                        diagnostics_json: {
                            [key: string]: unknown;
                        } | null;
                        diagnostics_trimmed: boolean;
                        diff: {
                            summary: {
                                images_changed: {
                                    container: string;
                                    from: string | null;
                                    resource: string;
                                    to: string | null;
                                }[];
                                replicas_changed: {
                                    from: number | null;
                                    resource: string;
                                    to: number | null;
                                }[];
                                resources_added: string[];
                                resources_removed: string[];
                                scaled_to_zero: string[];
                                secret_variables: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    name: string;
                                }[];
                                secrets: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    key: string;
                                    name: string;
                                }[];
                            };
                            unified: string;
                        };
                        environment_id: string;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                        preview_ref: string | null;
                        project_id: string;
                        release_id: string;
                        /** @enum {string} */
                        risk_level: "low" | "medium" | "high" | "critical";
                        risk_reasons: {
                            detail: string;
                            /** @enum {string} */
                            rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                        }[];
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        service_id: string;
                        /** @enum {string} */
                        status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled release */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_required: boolean;
                        approval_ticket: string | null;
                        checks: {
                            age_seconds?: number | null;
                            detail: string;
                            name: string;
                            observed_at?: string | null;
                            source?: string;
                            /** @enum {string} */
                            status: "pass" | "warn" | "fail";
                        }[];
                        created_at: string;
                        created_by: string;
                        diagnostics_json: {
                            [key: string]: unknown;
                        } | null;
                        diagnostics_trimmed: boolean;
                        diff: {
                            summary: {
                                images_changed: {
                                    container: string;
                                    from: string | null;
                                    resource: string;
                                    to: string | null;
                                }[];
                                replicas_changed: {
                                    from: number | null;
                                    resource: string;
                                    to: number | null;
                                }[];
                                resources_added: string[];
                                resources_removed: string[];
                                scaled_to_zero: string[];
                                secret_variables: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    name: string;
                                }[];
                                secrets: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    key: string;
                                    name: string;
                                }[];
                            };
                            unified: string;
                        };
                        environment_id: string;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                        preview_ref: string | null;
                        project_id: string;
                        release_id: string;
                        /** @enum {string} */
                        risk_level: "low" | "medium" | "high" | "critical";
                        risk_reasons: {
                            detail: string;
                            /** @enum {string} */
                            rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                        }[];
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        service_id: string;
                        /** @enum {string} */
                        status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReleaseRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The masked revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        masked_digest: string | null;
                        masked_revision: string | null;
                        release_id: string;
                        revision_digest: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewRollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollback release in preview */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_required: boolean;
                        approval_ticket: string | null;
                        checks: {
                            age_seconds?: number | null;
                            detail: string;
                            name: string;
                            observed_at?: string | null;
                            source?: string;
                            /** @enum {string} */
                            status: "pass" | "warn" | "fail";
                        }[];
                        created_at: string;
                        created_by: string;
                        diagnostics_json: {
                            [key: string]: unknown;
                        } | null;
                        diagnostics_trimmed: boolean;
                        diff: {
                            summary: {
                                images_changed: {
                                    container: string;
                                    from: string | null;
                                    resource: string;
                                    to: string | null;
                                }[];
                                replicas_changed: {
                                    from: number | null;
                                    resource: string;
                                    to: number | null;
                                }[];
                                resources_added: string[];
                                resources_removed: string[];
                                scaled_to_zero: string[];
                                secret_variables: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    name: string;
                                }[];
                                secrets: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    key: string;
                                    name: string;
                                }[];
                            };
                            unified: string;
                        };
                        environment_id: string;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                        preview_ref: string | null;
                        project_id: string;
                        release_id: string;
                        /** @enum {string} */
                        risk_level: "low" | "medium" | "high" | "critical";
                        risk_reasons: {
                            detail: string;
                            /** @enum {string} */
                            rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                        }[];
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        service_id: string;
                        /** @enum {string} */
                        status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReleaseSteps: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The steps */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempt: number;
                            error_code: string | null;
                            finished_at: string | null;
                            host_id: string | null;
                            id: string;
                            job_id: string;
                            name: string;
                            output: string | null;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed" | "skipped";
                        }[];
                        release_id: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReleaseTimeline: {
        parameters: {
            query?: {
                /** @description The seq of the last event already held; only what came after it is listed */
                after?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The timeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            actor_id: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            environment_id: string | null;
                            event_id: string;
                            hash: string;
                            id: string;
                            occurred_at: string;
                            prev_hash: string;
                            project_id: string | null;
                            resource_id: string;
                            resource_type: string;
                            seq: number;
                            /** @enum {string} */
                            source: "ui" | "api" | "ai" | "runner" | "system";
                            status: string;
                            team_id: string | null;
                        }[];
                        release_id: string;
                    };
                };
            };
            /** @description Not modified: the If-None-Match sent names the current ETag (no body) */
            304: {
                headers: {
                    /** @description The current ETag */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    applyRelease: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    preview_ref: string;
                };
            };
        };
        responses: {
            /** @description Pending approval or approved */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_required: boolean;
                        approval_ticket: string | null;
                        checks: {
                            age_seconds?: number | null;
                            detail: string;
                            name: string;
                            observed_at?: string | null;
                            source?: string;
                            /** @enum {string} */
                            status: "pass" | "warn" | "fail";
                        }[];
                        created_at: string;
                        created_by: string;
                        diagnostics_json: {
                            [key: string]: unknown;
                        } | null;
                        diagnostics_trimmed: boolean;
                        diff: {
                            summary: {
                                images_changed: {
                                    container: string;
                                    from: string | null;
                                    resource: string;
                                    to: string | null;
                                }[];
                                replicas_changed: {
                                    from: number | null;
                                    resource: string;
                                    to: number | null;
                                }[];
                                resources_added: string[];
                                resources_removed: string[];
                                scaled_to_zero: string[];
                                secret_variables: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    name: string;
                                }[];
                                secrets: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    key: string;
                                    name: string;
                                }[];
                            };
                            unified: string;
                        };
                        environment_id: string;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                        preview_ref: string | null;
                        project_id: string;
                        release_id: string;
                        /** @enum {string} */
                        risk_level: "low" | "medium" | "high" | "critical";
                        risk_reasons: {
                            detail: string;
                            /** @enum {string} */
                            rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                        }[];
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        service_id: string;
                        /** @enum {string} */
                        status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewRelease: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    service_id: string;
                    /**
                     * @default rolling
                     * @enum {string}
                     */
                    strategy?: "rolling" | "recreate";
                    target_id: string;
                    /** @default {} */
                    variables?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The release in preview */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval_required: boolean;
                        approval_ticket: string | null;
                        checks: {
                            age_seconds?: number | null;
                            detail: string;
                            name: string;
                            observed_at?: string | null;
                            source?: string;
                            /** @enum {string} */
                            status: "pass" | "warn" | "fail";
                        }[];
                        created_at: string;
                        created_by: string;
                        diagnostics_json: {
                            [key: string]: unknown;
                        } | null;
                        diagnostics_trimmed: boolean;
                        diff: {
                            summary: {
                                images_changed: {
                                    container: string;
                                    from: string | null;
                                    resource: string;
                                    to: string | null;
                                }[];
                                replicas_changed: {
                                    from: number | null;
                                    resource: string;
                                    to: number | null;
                                }[];
                                resources_added: string[];
                                resources_removed: string[];
                                scaled_to_zero: string[];
                                secret_variables: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    name: string;
                                }[];
                                secrets: {
                                    /** @enum {string} */
                                    change: "added" | "removed" | "changed" | "unchanged";
                                    key: string;
                                    name: string;
                                }[];
                            };
                            unified: string;
                        };
                        environment_id: string;
                        expires_at: string;
                        id: string;
                        /** @enum {string} */
                        lifecycle_state: "preview" | "pending_approval" | "approved" | "applying" | "applied" | "failed" | "rejected" | "expired" | "rollback" | "cancelled";
                        preview_ref: string | null;
                        project_id: string;
                        release_id: string;
                        /** @enum {string} */
                        risk_level: "low" | "medium" | "high" | "critical";
                        risk_reasons: {
                            detail: string;
                            /** @enum {string} */
                            rule: "resource_deleted" | "scaled_to_zero" | "secret_changed" | "secret_variable_changed" | "host_power" | "production" | "staging_change";
                        }[];
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        service_id: string;
                        /** @enum {string} */
                        status: "preview" | "pending_approval" | "approved" | "executing" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        /** @enum {string} */
                        strategy: "rolling" | "recreate";
                        target_id: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTargetStatuses: {
        parameters: {
            query?: {
                cursor?: string;
                environment_id?: string;
                limit?: number;
                project_id?: string;
                runtime_type?: "k8s" | "compose";
                service_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Targets by status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: {
                            degraded: number;
                            healthy: number;
                            unknown: number;
                        };
                        items: {
                            environment_id: string;
                            name: string;
                            observed_at: string | null;
                            project_id: string;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            /** @enum {string} */
                            state: "healthy" | "degraded" | "unknown";
                            target_id: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTargets: {
        parameters: {
            query?: {
                cursor?: string;
                environment_id?: string;
                limit?: number;
                project_id?: string;
                runtime_type?: "k8s" | "compose";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Targets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            applied_release_id: string | null;
                            cluster_id: string | null;
                            compose_project: string | null;
                            created_at: string;
                            environment_id: string;
                            host_ids: string[];
                            id: string;
                            name: string;
                            namespace: string | null;
                            project_id: string;
                            /** @enum {string} */
                            runtime_type: "k8s" | "compose";
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTarget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cluster_id?: string;
                    compose_project?: string;
                    environment_id: string;
                    host_ids?: string[];
                    name: string;
                    namespace?: string;
                    project_id: string;
                    /** @enum {string} */
                    runtime_type: "k8s" | "compose";
                };
            };
        };
        responses: {
            /** @description The target */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_release_id: string | null;
                        cluster_id: string | null;
                        compose_project: string | null;
                        created_at: string;
                        environment_id: string;
                        host_ids: string[];
                        id: string;
                        name: string;
                        namespace: string | null;
                        project_id: string;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_release_id: string | null;
                        cluster_id: string | null;
                        compose_project: string | null;
                        created_at: string;
                        environment_id: string;
                        host_ids: string[];
                        id: string;
                        name: string;
                        namespace: string | null;
                        project_id: string;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cluster_id?: string;
                    compose_project?: string;
                    host_ids?: string[];
                    name?: string;
                    namespace?: string;
                };
            };
        };
        responses: {
            /** @description The target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_release_id: string | null;
                        cluster_id: string | null;
                        compose_project: string | null;
                        created_at: string;
                        environment_id: string;
                        host_ids: string[];
                        id: string;
                        name: string;
                        namespace: string | null;
                        project_id: string;
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTargetStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_code: string | null;
                        hosts?: {
                            /** @enum {string|null} */
                            compose: "v1" | "v2" | null;
                            containers: {
                                container: string;
                                exit_code: number | null;
                                health: string | null;
                                image: string;
                                service: string;
                                state: string;
                            }[];
                            error_code: string | null;
                            host_id: string;
                            message: string | null;
                            reachable: boolean;
                        }[];
                        job_id: string | null;
                        observed_at: string | null;
                        /** @enum {string} */
                        state: "healthy" | "degraded" | "unknown";
                        target_id: string;
                        workloads?: {
                            desired: number;
                            kind: string;
                            message: string;
                            name: string;
                            ready: number;
                            /** @enum {string} */
                            rollout: "complete" | "progressing" | "failed";
                        }[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refreshTargetStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status job */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @enum {string} */
                        status: "queued" | "running";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEnvironments: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Environments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            id: string;
                            name: string;
                            project_id: string;
                            runner_pool_id: string | null;
                            /** @enum {string} */
                            tier: "development" | "staging" | "production";
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    project_id: string;
                    runner_pool_id?: string | null;
                    /** @enum {string} */
                    tier: "development" | "staging" | "production";
                };
            };
        };
        responses: {
            /** @description The environment */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        /** @enum {string} */
                        tier: "development" | "staging" | "production";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        /** @enum {string} */
                        tier: "development" | "staging" | "production";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    runner_pool_id?: string | null;
                };
            };
        };
        responses: {
            /** @description The environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        project_id: string;
                        runner_pool_id: string | null;
                        /** @enum {string} */
                        tier: "development" | "staging" | "production";
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    installEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    host_ids: string[];
                    /**
                     * @default {
                     *       "prefix": "/",
                     *       "parallelism": 5,
                     *       "lvs_vip": null,
                     *       "roles": null
                     *     }
                     */
                    options?: {
                        /** @default null */
                        lvs_vip?: string | null;
                        /** @default 5 */
                        parallelism?: number;
                        /** @default / */
                        prefix?: string;
                        /** @default null */
                        roles?: {
                            [key: string]: "control-plane" | "worker";
                        } | null;
                    };
                    /** @enum {string} */
                    runtime: "compose" | "k8s";
                    version: string;
                };
            };
        };
        responses: {
            /** @description The task, queued or pending approval */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInstallTasks: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Install tasks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                            approval_ticket: string | null;
                            created_at: string;
                            created_by: string | null;
                            environment_id: string;
                            finished_at: string | null;
                            follows: string | null;
                            host_ids: string[];
                            id: string;
                            job_id: string | null;
                            options: {
                                [key: string]: unknown;
                            };
                            project_id: string;
                            registered: {
                                [key: string]: unknown;
                            } | null;
                            result: {
                                [key: string]: unknown;
                            } | null;
                            rollback_of: string | null;
                            /** @enum {string} */
                            runtime: "compose" | "k8s";
                            /** @enum {string} */
                            status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                            task_id: string;
                            updated_at: string;
                            version: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInstallTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        current_step: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        progress_percent: number;
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        steps: {
                            host_id: string;
                            steps: {
                                attempt: number;
                                error_code: string | null;
                                finished_at: string | null;
                                log_excerpt: string | null;
                                name: string;
                                started_at: string | null;
                                /** @enum {string} */
                                status: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                        }[];
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description Not modified: the If-None-Match sent names the current ETag (no body) */
            304: {
                headers: {
                    /** @description The current ETag */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelInstallTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInstallTaskLogs: {
        parameters: {
            query?: {
                /** @description The seq of the last event already held; only what came after it is listed */
                after?: number | null;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Step outputs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempt: number;
                            error_code: string | null;
                            finished_at: string | null;
                            host_id: string | null;
                            id: string;
                            job_id: string;
                            name: string;
                            output: string | null;
                            seq: number | null;
                            started_at: string | null;
                            status: string;
                            step: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Not modified: the If-None-Match sent names the current ETag (no body) */
            304: {
                headers: {
                    /** @description The current ETag */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryInstallTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task, queued again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rollbackInstallTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollback task */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyEnvironmentInstall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verify job was queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        host_ids: string[];
                        job_id: string;
                        /** @enum {string} */
                        status: "queued";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInstallDrift: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environment_id: string;
                        finished_at: string | null;
                        hosts: {
                            /** @enum {string|null} */
                            drift: "none" | "changed" | "missing" | null;
                            error_code: string | null;
                            files: {
                                actual_sha256: string | null;
                                expected_sha256: string;
                                path: string;
                                /** @enum {string|null} */
                                state: "ok" | "changed" | "missing" | null;
                            }[];
                            host_id: string;
                            prefix: string;
                            /** @enum {string} */
                            runtime: "compose" | "k8s";
                            version: string;
                        }[];
                        job_id: string;
                        requested_at: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uninstallEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    host_ids: string[];
                    /** @enum {string} */
                    runtime?: "compose" | "k8s";
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The uninstall task, queued or pending approval */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "install" | "uninstall" | "rollback" | "vip" | "cert_renew";
                        approval_ticket: string | null;
                        created_at: string;
                        created_by: string | null;
                        environment_id: string;
                        finished_at: string | null;
                        follows: string | null;
                        host_ids: string[];
                        id: string;
                        job_id: string | null;
                        options: {
                            [key: string]: unknown;
                        };
                        project_id: string;
                        registered: {
                            [key: string]: unknown;
                        } | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        rollback_of: string | null;
                        /** @enum {string} */
                        runtime: "compose" | "k8s";
                        /** @enum {string} */
                        status: "pending_approval" | "queued" | "running" | "succeeded" | "failed" | "rejected" | "expired" | "rolled_back" | "cancelled";
                        task_id: string;
                        updated_at: string;
                        version: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    listHosts: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Hosts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            address: string;
                            compose: {
                                [key: string]: unknown;
                            } | null;
                            created_at: string;
                            credential_id: string;
                            host_key_fingerprint: string | null;
                            host_key_pinned_at: string | null;
                            id: string;
                            jump_host_id: string | null;
                            last_test: {
                                [key: string]: unknown;
                            } | null;
                            name: string;
                            port: number;
                            project_id: string;
                            runner_pool_id: string | null;
                            updated_at: string;
                            username: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createHost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address: string;
                    credential_id: string;
                    jump_host_id?: string | null;
                    name: string;
                    /** @default 22 */
                    port?: number;
                    project_id: string;
                    runner_pool_id?: string | null;
                    username: string;
                };
            };
        };
        responses: {
            /** @description The host */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        compose: {
                            [key: string]: unknown;
                        } | null;
                        created_at: string;
                        credential_id: string;
                        host_key_fingerprint: string | null;
                        host_key_pinned_at: string | null;
                        id: string;
                        jump_host_id: string | null;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        name: string;
                        port: number;
                        project_id: string;
                        runner_pool_id: string | null;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The host */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        compose: {
                            [key: string]: unknown;
                        } | null;
                        created_at: string;
                        credential_id: string;
                        host_key_fingerprint: string | null;
                        host_key_pinned_at: string | null;
                        id: string;
                        jump_host_id: string | null;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        name: string;
                        port: number;
                        project_id: string;
                        runner_pool_id: string | null;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteHost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchHost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address?: string;
                    credential_id?: string;
                    jump_host_id?: string | null;
                    name?: string;
                    port?: number;
                    runner_pool_id?: string | null;
                    username?: string;
                };
            };
        };
        responses: {
            /** @description The host */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        compose: {
                            [key: string]: unknown;
                        } | null;
                        created_at: string;
                        credential_id: string;
                        host_key_fingerprint: string | null;
                        host_key_pinned_at: string | null;
                        id: string;
                        jump_host_id: string | null;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        name: string;
                        port: number;
                        project_id: string;
                        runner_pool_id: string | null;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetHostKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The host, unpinned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        compose: {
                            [key: string]: unknown;
                        } | null;
                        created_at: string;
                        credential_id: string;
                        host_key_fingerprint: string | null;
                        host_key_pinned_at: string | null;
                        id: string;
                        jump_host_id: string | null;
                        last_test: {
                            [key: string]: unknown;
                        } | null;
                        name: string;
                        port: number;
                        project_id: string;
                        runner_pool_id: string | null;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    testHostConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test job was queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @enum {string} */
                        status: "queued";
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInstallBundles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Bundles */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            description: string;
                            lvs_vip: boolean;
                            min_disk_mb: number;
                            platforms: {
                                arch: string;
                                distributions: string[];
                                os: string;
                            }[];
                            ports: number[];
                            /** @enum {string} */
                            runtime: "compose" | "k8s";
                            synthetic: boolean;
                            version: string;
                        }[];
                        runtimes: ("compose" | "k8s")[];
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: "release_apply" | "host_test" | "cluster_test" | "environment_install" | "target_status" | "install_verify";
                limit?: number;
                project_id?: string;
                runner_pool_id?: string;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempts: number;
                            created_at: string;
                            environment_id: string | null;
                            error_code: string | null;
                            finished_at: string | null;
                            id: string;
                            kind: string;
                            project_id: string;
                            resource_id: string;
                            resource_type: string;
                            runner_id: string | null;
                            runner_pool_id: string | null;
                            runner_pool_name: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            updated_at: string;
                            waiting_reason: {
                                /** @enum {string} */
                                reason: "no_runner_pool";
                            } | {
                                /** @enum {string} */
                                reason: "no_online_runner";
                                runner_pool_id: string;
                            } | {
                                position: number;
                                /** @enum {string} */
                                reason: "queued";
                                runner_pool_id: string;
                            } | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        created_at: string;
                        environment_id: string | null;
                        error_code: string | null;
                        finished_at: string | null;
                        id: string;
                        kind: string;
                        project_id: string;
                        resource_id: string;
                        resource_type: string;
                        runner_id: string | null;
                        runner_pool_id: string | null;
                        runner_pool_name: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        steps: {
                            attempt: number;
                            error_code: string | null;
                            finished_at: string | null;
                            host_id: string | null;
                            id: string;
                            name: string;
                            output: string | null;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed" | "skipped";
                        }[];
                        updated_at: string;
                        waiting_reason: {
                            /** @enum {string} */
                            reason: "no_runner_pool";
                        } | {
                            /** @enum {string} */
                            reason: "no_online_runner";
                            runner_pool_id: string;
                        } | {
                            position: number;
                            /** @enum {string} */
                            reason: "queued";
                            runner_pool_id: string;
                        } | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was re-wrapped */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        failed: {
                            audit_keys: number;
                            checkpoints: number;
                            credentials: number;
                            notification_secrets: number;
                            pipeline_secrets: number;
                            releases: number;
                            target_keys: number;
                        };
                        key_id: string;
                        key_ids_in_use: {
                            [key: string]: number;
                        };
                        rewrapped: {
                            audit_keys: number;
                            checkpoints: number;
                            credentials: number;
                            notification_secrets: number;
                            pipeline_secrets: number;
                            releases: number;
                            target_keys: number;
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        permissions: {
                            permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                            project_id: string | null;
                        }[];
                        roles: {
                            binding_id: string;
                            project_id: string | null;
                            role: string;
                        }[];
                        user: {
                            created_at: string;
                            disabled: boolean;
                            id: string;
                            updated_at: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeMyPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    current_password: string;
                    new_password: string;
                };
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNotificationDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                endpoint_id?: string;
                limit?: number;
                project_id?: string;
                status?: "pending" | "succeeded" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempts: {
                                at: string;
                                error: string | null;
                                http_status: number | null;
                                response_excerpt: string | null;
                            }[];
                            created_at: string;
                            data: {
                                action: string;
                                actor_id: string | null;
                                detail: {
                                    [key: string]: unknown;
                                };
                                environment_id: string | null;
                                event_id: string;
                                hash: string;
                                id: string;
                                occurred_at: string;
                                prev_hash: string;
                                project_id: string | null;
                                resource_id: string;
                                resource_type: string;
                                seq: number;
                                /** @enum {string} */
                                source: "ui" | "api" | "ai" | "runner" | "system";
                                status: string;
                                team_id: string | null;
                            };
                            endpoint_id: string;
                            id: string;
                            next_attempt_at: string | null;
                            occurred_at: string;
                            project_id: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            type: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNotificationDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: {
                            at: string;
                            error: string | null;
                            http_status: number | null;
                            response_excerpt: string | null;
                        }[];
                        created_at: string;
                        data: {
                            action: string;
                            actor_id: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            environment_id: string | null;
                            event_id: string;
                            hash: string;
                            id: string;
                            occurred_at: string;
                            prev_hash: string;
                            project_id: string | null;
                            resource_id: string;
                            resource_type: string;
                            seq: number;
                            /** @enum {string} */
                            source: "ui" | "api" | "ai" | "runner" | "system";
                            status: string;
                            team_id: string | null;
                        };
                        endpoint_id: string;
                        id: string;
                        next_attempt_at: string | null;
                        occurred_at: string;
                        project_id: string;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        type: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    redeliverNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, pending */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: {
                            at: string;
                            error: string | null;
                            http_status: number | null;
                            response_excerpt: string | null;
                        }[];
                        created_at: string;
                        data: {
                            action: string;
                            actor_id: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            environment_id: string | null;
                            event_id: string;
                            hash: string;
                            id: string;
                            occurred_at: string;
                            prev_hash: string;
                            project_id: string | null;
                            resource_id: string;
                            resource_type: string;
                            seq: number;
                            /** @enum {string} */
                            source: "ui" | "api" | "ai" | "runner" | "system";
                            status: string;
                            team_id: string | null;
                        };
                        endpoint_id: string;
                        id: string;
                        next_attempt_at: string | null;
                        occurred_at: string;
                        project_id: string;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        type: string;
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNotificationEndpoints: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            events: string[];
                            id: string;
                            project_id: string;
                            secret_rotated_at: string;
                            updated_at: string;
                            url: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createNotificationEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events: string[];
                    project_id: string;
                    /**
                     * Format: uri
                     * @example https://hooks.example.com/k8s-manage
                     */
                    url: string;
                };
            };
        };
        responses: {
            /** @description The endpoint, with its signing secret (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        events: string[];
                        id: string;
                        project_id: string;
                        secret: string;
                        secret_rotated_at: string;
                        updated_at: string;
                        url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNotificationEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        events: string[];
                        id: string;
                        project_id: string;
                        secret_rotated_at: string;
                        updated_at: string;
                        url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteNotificationEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchNotificationEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events?: string[];
                    /**
                     * Format: uri
                     * @example https://hooks.example.com/k8s-manage
                     */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        events: string[];
                        id: string;
                        project_id: string;
                        secret_rotated_at: string;
                        updated_at: string;
                        url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateNotificationEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint, with its new signing secret (shown once) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        events: string[];
                        id: string;
                        project_id: string;
                        secret: string;
                        secret_rotated_at: string;
                        updated_at: string;
                        url: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProjects: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Projects */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            id: string;
                            name: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createProject: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description The project */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description The project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProjectPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ci_triggers_enabled: boolean;
                        preview_ttl_seconds: number;
                        ticket_ttl_seconds: number;
                        tickets: {
                            development: ("apply" | "rollback" | "install")[];
                            production: ("apply" | "rollback" | "install")[];
                            staging: ("apply" | "rollback" | "install")[];
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putProjectPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ci_triggers_enabled?: boolean;
                    preview_ttl_seconds?: number;
                    ticket_ttl_seconds?: number;
                    tickets?: {
                        development?: ("apply" | "rollback" | "install")[];
                        production?: ("apply" | "rollback" | "install")[];
                        staging?: ("apply" | "rollback" | "install")[];
                    };
                };
            };
        };
        responses: {
            /** @description The policy now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ci_triggers_enabled: boolean;
                        preview_ttl_seconds: number;
                        ticket_ttl_seconds: number;
                        tickets: {
                            development: ("apply" | "rollback" | "install")[];
                            production: ("apply" | "rollback" | "install")[];
                            staging: ("apply" | "rollback" | "install")[];
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        database: "pglite" | "postgres";
                        /** @enum {string} */
                        status: "ready";
                    };
                };
            };
            /** @description Error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRoleBindings: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Bindings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            id: string;
                            project_id: string | null;
                            role: string;
                            user_id: string;
                            username: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    project_id?: string;
                    role: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description The binding */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        project_id: string | null;
                        role: string;
                        user_id: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The binding */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        project_id: string | null;
                        role: string;
                        user_id: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRoles: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Roles */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            builtin: boolean;
                            created_at: string;
                            id: string;
                            name: string;
                            permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                };
            };
        };
        responses: {
            /** @description The role */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        builtin: boolean;
                        created_at: string;
                        id: string;
                        name: string;
                        permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        builtin: boolean;
                        created_at: string;
                        id: string;
                        name: string;
                        permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                };
            };
        };
        responses: {
            /** @description The role */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        builtin: boolean;
                        created_at: string;
                        id: string;
                        name: string;
                        permissions: ("deploy:release:read" | "deploy:k8s:read" | "deploy:compose:read" | "deploy:release:apply" | "deploy:release:rollback" | "deploy:release:approve" | "deploy:k8s:apply" | "deploy:k8s:rollback" | "deploy:compose:apply" | "deploy:compose:rollback" | "deploy:approval:read" | "deploy:approval:review" | "credential:import" | "credential:test" | "credential:read_meta" | "credential:reveal" | "environment:read" | "environment:write" | "environment:install" | "target:read" | "target:write" | "audit:read" | "rbac:admin" | "project:read" | "project:write" | "service:read" | "service:write" | "host:read" | "host:write" | "cluster:read" | "cluster:write" | "runner:read" | "runner:admin" | "policy:write" | "ci:read" | "ci:write" | "cd:write" | "ai:command" | "notification:read" | "notification:write")[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRunnerPools: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pools */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            id: string;
                            name: string;
                            project_id: string | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createRunnerPool: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    project_id?: string;
                };
            };
        };
        responses: {
            /** @description The pool */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        project_id: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRunnerPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pool */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        online_runners: {
                            created_at: string;
                            current_jobs: string[];
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            last_seen_at: string | null;
                            name: string;
                            online: boolean;
                            revoked_at: string | null;
                            runner_pool_id: string;
                            version: string | null;
                        }[];
                        project_id: string | null;
                        queue: {
                            oldest_queued_at: string | null;
                            queued: number;
                            running: number;
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteRunnerPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchRunnerPool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description The pool */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        id: string;
                        name: string;
                        project_id: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createRegistrationToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 3600 */
                    expires_in_seconds?: number;
                };
            };
        };
        responses: {
            /** @description The token, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string;
                        id: string;
                        runner_pool_id: string;
                        token: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    completeJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    diagnostics?: {
                        [key: string]: unknown;
                    };
                    error_code?: string;
                    lease_token: number;
                    result?: {
                        [key: string]: unknown;
                    };
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    steps?: {
                        attempt: number;
                        detail?: {
                            [key: string]: unknown;
                        };
                        error_code?: string;
                        /** Format: date-time */
                        finished_at?: string;
                        host_id?: string;
                        name: string;
                        observed_host_key?: string;
                        output?: string;
                        /** Format: date-time */
                        started_at?: string;
                        /** @enum {string} */
                        status: "running" | "succeeded" | "failed" | "skipped";
                    }[];
                };
            };
        };
        responses: {
            /** @description Completed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @enum {string} */
                        status: "succeeded" | "failed";
                    };
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    heartbeatJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    lease_token: number;
                };
            };
        };
        responses: {
            /** @description The new lease end */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        lease_expires_at: string;
                    };
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportJobStep: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    attempt: number;
                    detail?: {
                        [key: string]: unknown;
                    };
                    error_code?: string;
                    /** Format: date-time */
                    finished_at?: string;
                    host_id?: string;
                    lease_token: number;
                    name: string;
                    observed_host_key?: string;
                    output?: string;
                    /** Format: date-time */
                    started_at?: string;
                    /** @enum {string} */
                    status: "running" | "succeeded" | "failed" | "skipped";
                };
            };
        };
        responses: {
            /** @description Recorded or not */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recorded: boolean;
                    };
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    claimJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 25 */
                    wait_seconds?: number;
                };
            };
        };
        responses: {
            /** @description A job, its work order sealed to the runner */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: {
                            attempt: number;
                            id: string;
                            kind: string;
                            kind_version: number;
                            /** Format: date-time */
                            lease_expires_at: string;
                            lease_token: number;
                            payload: {
                                [key: string]: unknown;
                            };
                        };
                        sealed: {
                            /** @enum {string} */
                            alg: "X25519-HKDF-SHA256-A256GCM";
                            ct: string;
                            epk: string;
                            iv: string;
                            tag: string;
                        };
                    };
                };
            };
            /** @description Nothing to do */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    registerRunner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    labels?: {
                        [key: string]: string;
                    };
                    name: string;
                    public_key: string;
                    registration_token: string;
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The runner id and token, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runner_id: string;
                        runner_pool_id: string;
                        runner_token: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRunners: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                runner_pool_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Runners */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            current_jobs: string[];
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            last_seen_at: string | null;
                            name: string;
                            online: boolean;
                            revoked_at: string | null;
                            runner_pool_id: string;
                            version: string | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRunner: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The runner */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        current_jobs: string[];
                        id: string;
                        labels: {
                            [key: string]: string;
                        };
                        last_seen_at: string | null;
                        name: string;
                        online: boolean;
                        revoked_at: string | null;
                        runner_pool_id: string;
                        version: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeRunner: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The runner */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        current_jobs: string[];
                        id: string;
                        labels: {
                            [key: string]: string;
                        };
                        last_seen_at: string | null;
                        name: string;
                        online: boolean;
                        revoked_at: string | null;
                        runner_pool_id: string;
                        version: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateRunnerToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runner_id: string;
                        runner_token: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listServices: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                project_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Services */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            compose_file: string | null;
                            created_at: string;
                            description: string;
                            id: string;
                            k8s_manifest: string | null;
                            name: string;
                            project_id: string;
                            secret_variables: string[];
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createService: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    compose_file?: string;
                    description?: string;
                    k8s_manifest?: string;
                    name: string;
                    project_id: string;
                    secret_variables?: string[];
                };
            };
        };
        responses: {
            /** @description The service */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        compose_file: string | null;
                        created_at: string;
                        description: string;
                        id: string;
                        k8s_manifest: string | null;
                        name: string;
                        project_id: string;
                        secret_variables: string[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        compose_file: string | null;
                        created_at: string;
                        description: string;
                        id: string;
                        k8s_manifest: string | null;
                        name: string;
                        project_id: string;
                        secret_variables: string[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    compose_file?: string | null;
                    description?: string;
                    k8s_manifest?: string | null;
                    name?: string;
                    secret_variables?: string[];
                };
            };
        };
        responses: {
            /** @description The service */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        compose_file: string | null;
                        created_at: string;
                        description: string;
                        id: string;
                        k8s_manifest: string | null;
                        name: string;
                        project_id: string;
                        secret_variables: string[];
                        updated_at: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getServiceVariables: {
        parameters: {
            query: {
                target_id: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The variables */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_release_id: string | null;
                        placeholders: string[];
                        /** @enum {string} */
                        runtime_type: "k8s" | "compose";
                        secret: string[];
                        service_id: string;
                        target_id: string;
                        values: {
                            [key: string]: string;
                        };
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            created_at: string;
                            disabled: boolean;
                            id: string;
                            updated_at: string;
                            username: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description The user */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        disabled: boolean;
                        id: string;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        disabled: boolean;
                        id: string;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    disabled: boolean;
                };
            };
        };
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        disabled: boolean;
                        id: string;
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A permission is missing; the message names it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed validation; `fields` says where */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
