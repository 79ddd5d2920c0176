// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates with ${VAR} placeholders are the subject under test
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases';
import { composeVars, governanceFixture } from '../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import { registerRunner } from '../../test/support/runners';
import { clusters, runnerPools } from '../platform/db/schema';
import { newId } from '../platform/ids';
import { pinHostKey } from './hosts/service';

const KEY = `SHA256:${'A'.repeat(43)}`;

/** SPEC §7.0 "Fix mistakes" for services, hosts, clusters and runner pools. */
describe.each(await backends())(
  'PATCH and soft DELETE of services, hosts, clusters, pools on %s',
  (backend) => {
    let p: TestPlatform;
    let admin: string;
    let f: Awaited<ReturnType<typeof governanceFixture>>;
    let n = 0;
    const uniq = (s: string) => `${s}-${++n}`;

    const req = (method: string, path: string, body?: unknown) =>
      p.request(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
    const fieldsOf = (res: { json: any }) => res.json.error.fields.map((x: { path: string }) => x.path);
    const idsOf = (res: { json: any }) => res.json.items.map((x: { id: string }) => x.id);
    const actions = async (id: string) =>
      (await req('GET', `/audit/events?resource_id=${id}`)).json.items.map(
        (e: { action: string }) => e.action,
      );

    /** A production release waiting for approval: in flight on the service, the target and what it names. */
    async function pendingRelease(serviceId: string, targetId: string) {
      const deployer = await p.userWithRole('deployer', f.project);
      const pv = await p.request('POST', '/deploy/releases/preview', {
        token: deployer.token,
        body: { service_id: serviceId, target_id: targetId, variables: composeVars('1.0') },
      });
      expect(pv.status, pv.text).toBe(201);
      const ap = await p.request('POST', '/deploy/releases/apply', {
        token: deployer.token,
        body: { preview_ref: pv.json.preview_ref },
      });
      expect(ap.json.lifecycle_state, ap.text).toBe('pending_approval');
      return ap.json.id as string;
    }

    const newCluster = async () => {
      const id = newId('cls');
      const cluster = (await req('GET', `/clusters/${f.clusterId}`)).json;
      const now = new Date();
      await p.deps.database.db.insert(clusters).values({
        id,
        projectId: f.project,
        name: uniq('cls'),
        clusterSource: 'external_managed',
        mode: 'token',
        server: 'https://127.0.0.1:6443',
        credentialId: cluster.credential_id,
        metadata: {},
        createdAt: now,
        updatedAt: now,
      });
      return id;
    };
    const newHost = async () => {
      const host = (await req('GET', `/hosts/${f.hostId}`)).json;
      const res = await req('POST', '/hosts', {
        project_id: f.project,
        name: uniq('host'),
        address: '10.0.0.9',
        username: 'deploy',
        credential_id: host.credential_id,
      });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };

    beforeAll(async () => {
      p = await createTestPlatform(backend);
      admin = await p.adminToken();
      f = await governanceFixture(p, 'fix');
    }, 120_000);
    afterAll(() => p.close());

    describe('services', () => {
      it('renames a service and changes its description, audited; refuses bad input field by field', async () => {
        const s = (
          await req('POST', '/services', {
            project_id: f.project,
            name: uniq('svc'),
            compose_file: 'services: {}\n',
          })
        ).json;
        const res = await req('PATCH', `/services/${s.id}`, { name: 'renamed', description: 'the shop' });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ id: s.id, name: 'renamed', description: 'the shop' });
        expect((await req('GET', `/services/${s.id}`)).json.name).toBe('renamed');
        expect(await actions(s.id)).toContain('service.updated');

        const bad = await req('PATCH', `/services/${s.id}`, {
          name: 'Not A Name',
          description: 'x'.repeat(2001),
        });
        expect(bad.status).toBe(422);
        expect(fieldsOf(bad).sort()).toEqual(['description', 'name']);
        expect(fieldsOf(await req('PATCH', `/services/${s.id}`, { project_id: f.project }))).toContain(
          'project_id',
        );
        const taken = await req('PATCH', `/services/${s.id}`, { name: 'web' });
        expect([taken.status, fieldsOf(taken)]).toEqual([409, ['name']]);
        expect((await req('PATCH', '/services/svc_nothing', { name: 'x' })).status).toBe(404);
        expect((await req('DELETE', '/services/svc_nothing')).status).toBe(404);
      });

      it('refuses to delete a service with a release in flight, naming the release', async () => {
        const releaseId = await pendingRelease(f.serviceId, f.targets.prodCompose);
        const res = await req('DELETE', `/services/${f.serviceId}`);
        expect([res.status, res.json.error.code]).toEqual([409, 'IN_USE']);
        expect(res.json.error.message).toContain(releaseId);
        expect((await req('GET', `/services/${f.serviceId}`)).status).toBe(200);
        // Cancelled, it no longer holds the service.
        expect((await req('POST', `/deploy/releases/${releaseId}/cancel`)).status).toBe(200);
      });

      it('soft-deletes a service: gone from list and by id, not previewable, its releases still read', async () => {
        const s = await req('POST', '/services', {
          project_id: f.project,
          name: uniq('svc'),
          compose_file: 'services:\n  web:\n    image: web:${TAG}\n',
        });
        const preview = (serviceId: string) =>
          req('POST', '/deploy/releases/preview', {
            service_id: serviceId,
            target_id: f.targets.devCompose,
            variables: { TAG: '1' },
          });
        const before = await preview(s.json.id);
        expect(before.status, before.text).toBe(201);

        expect((await req('DELETE', `/services/${s.json.id}`)).status).toBe(204);
        expect((await req('GET', `/services/${s.json.id}`)).status).toBe(404);
        expect(idsOf(await req('GET', `/services?project_id=${f.project}&limit=200`))).not.toContain(
          s.json.id,
        );
        const late = await preview(s.json.id);
        expect([late.status, fieldsOf(late)]).toEqual([422, ['service_id']]);
        expect((await req('GET', `/deploy/releases/${before.json.id}`)).status).toBe(200);
        expect((await req('DELETE', `/services/${s.json.id}`)).status).toBe(404);
        expect((await req('PATCH', `/services/${s.json.id}`, { description: 'back' })).status).toBe(404);
        expect(await actions(s.json.id)).toContain('service.deleted');
      });
    });

    describe('hosts', () => {
      it('clears the pinned key when the address or port changes, not on a rename', async () => {
        const id = await newHost();
        const pin = () => p.deps.database.db.transaction((tx) => pinHostKey(tx, p.clock, id, KEY));
        await pin();
        const renamed = await req('PATCH', `/hosts/${id}`, { name: uniq('host') });
        expect(renamed.json.host_key_fingerprint).toBe(KEY);
        const moved = await req('PATCH', `/hosts/${id}`, { address: '10.0.0.10' });
        expect(moved.status, moved.text).toBe(200);
        expect(moved.json).toMatchObject({
          address: '10.0.0.10',
          host_key_fingerprint: null,
          host_key_pinned_at: null,
        });
        await pin();
        expect((await req('PATCH', `/hosts/${id}`, { port: 2222 })).json.host_key_fingerprint).toBeNull();
        const events = (await req('GET', `/audit/events?resource_id=${id}&action=host.updated`)).json.items;
        expect(events.map((e: { detail: any }) => e.detail.host_key_cleared?.old_fingerprint)).toContain(KEY);
        const bad = await req('PATCH', `/hosts/${id}`, { port: 0, address: '169.254.169.254' });
        expect([bad.status, fieldsOf(bad).sort()]).toEqual([422, ['port']]);
        expect(fieldsOf(await req('PATCH', `/hosts/${id}`, { address: '169.254.169.254' }))).toEqual([
          'address',
        ]);
      });

      it('refuses to delete a host a live target names, naming the targets', async () => {
        const res = await req('DELETE', `/hosts/${f.hostId}`);
        expect([res.status, res.json.error.code]).toEqual([409, 'IN_USE']);
        expect(res.json.error.message).toContain('dev-compose');
        expect(res.json.error.message).toContain('prod-compose');
      });

      it('soft-deletes a host: gone from list and by id, no new target may name it, audited', async () => {
        const id = await newHost();
        expect((await req('DELETE', `/hosts/${id}`)).status).toBe(204);
        expect((await req('GET', `/hosts/${id}`)).status).toBe(404);
        expect(idsOf(await req('GET', `/hosts?project_id=${f.project}&limit=200`))).not.toContain(id);
        expect((await req('PATCH', `/hosts/${id}`, { port: 23 })).status).toBe(404);
        expect((await req('DELETE', `/hosts/${id}`)).status).toBe(404);
        const target = await req('POST', '/deploy/targets', {
          project_id: f.project,
          environment_id: f.envs.dev,
          name: uniq('tgt'),
          runtime_type: 'compose',
          host_ids: [id],
          compose_project: 'web',
        });
        expect([target.status, fieldsOf(target)]).toEqual([422, ['host_ids[0]']]);
        const repoint = await req('PATCH', `/deploy/targets/${f.targets.stageCompose}`, { host_ids: [id] });
        expect([repoint.status, fieldsOf(repoint)]).toEqual([422, ['host_ids[0]']]);
        expect(await actions(id)).toContain('host.deleted');
      });
    });

    describe('clusters', () => {
      it('renames a cluster, audited; refuses what reaches it and bad names', async () => {
        const id = await newCluster();
        const res = await req('PATCH', `/clusters/${id}`, { name: uniq('renamed') });
        expect(res.status, res.text).toBe(200);
        expect(await actions(id)).toContain('cluster.updated');
        const bad = await req('PATCH', `/clusters/${id}`, { name: 'UPPER', server: 'https://elsewhere' });
        expect(bad.status).toBe(422);
        expect(fieldsOf(bad)).toContain('name');
        expect(fieldsOf(bad)).toContain('server');
        const pool = await req('PATCH', `/clusters/${id}`, { runner_pool_id: 'rpl_nothing' });
        expect([pool.status, fieldsOf(pool)]).toEqual([422, ['runner_pool_id']]);
        expect((await req('PATCH', `/clusters/${id}`, { name: 'c1' })).status).toBe(409);
        expect((await req('PATCH', '/clusters/cls_nothing', { name: 'x' })).status).toBe(404);
      });

      it('refuses to delete a cluster a live target is on, naming the target', async () => {
        const res = await req('DELETE', `/clusters/${f.clusterId}`);
        expect([res.status, res.json.error.code]).toEqual([409, 'IN_USE']);
        expect(res.json.error.message).toContain('dev-k8s');
      });

      it('soft-deletes a cluster: gone from list and by id, no new target may use it, audited', async () => {
        const id = await newCluster();
        expect((await req('DELETE', `/clusters/${id}`)).status).toBe(204);
        expect((await req('GET', `/clusters/${id}`)).status).toBe(404);
        expect(idsOf(await req('GET', `/clusters?project_id=${f.project}&limit=200`))).not.toContain(id);
        expect((await req('DELETE', `/clusters/${id}`)).status).toBe(404);
        const target = await req('POST', '/deploy/targets', {
          project_id: f.project,
          environment_id: f.envs.dev,
          name: uniq('tgt'),
          runtime_type: 'k8s',
          cluster_id: id,
          namespace: 'web',
        });
        expect([target.status, fieldsOf(target)]).toEqual([422, ['cluster_id']]);
        expect(await actions(id)).toContain('cluster.deleted');
      });
    });

    describe('runner pools', () => {
      const newPool = async () => {
        const res = await req('POST', '/runner-pools', { name: uniq('pool'), project_id: f.project });
        expect(res.status, res.text).toBe(201);
        return res.json.id as string;
      };

      it('renames a pool, audited; refuses a bad or taken name', async () => {
        const id = await newPool();
        const name = uniq('renamed');
        const res = await req('PATCH', `/runner-pools/${id}`, { name });
        expect([res.status, res.json.name]).toEqual([200, name]);
        expect(await actions(id)).toContain('runner_pool.updated');
        expect(fieldsOf(await req('PATCH', `/runner-pools/${id}`, { name: 'Bad Name' }))).toEqual(['name']);
        expect(fieldsOf(await req('PATCH', `/runner-pools/${id}`, { project_id: null }))).toContain(
          'project_id',
        );
        expect((await req('PATCH', `/runner-pools/${id}`, { name: `pool-fix` })).status).toBe(409);
        expect((await req('PATCH', '/runner-pools/rpl_nothing', { name: 'x' })).status).toBe(404);
      });

      it('refuses to delete a pool environments are bound to, naming them', async () => {
        const res = await req('DELETE', `/runner-pools/${f.pool}`);
        expect([res.status, res.json.error.code]).toEqual([409, 'IN_USE']);
        expect(res.json.error.message).toContain('3 environment(s): dev, prod, stage');
      });

      it('refuses to delete a pool with a runner that is not revoked, naming it; revoked, it may go', async () => {
        const id = await newPool();
        const runner = await registerRunner(p, admin, id, 'lonely-runner');
        const res = await req('DELETE', `/runner-pools/${id}`);
        expect([res.status, res.json.error.code]).toEqual([409, 'IN_USE']);
        expect(res.json.error.message).toContain('lonely-runner');
        expect((await req('POST', `/runners/${runner.id}/revoke`)).status).toBe(200);
        expect((await req('DELETE', `/runner-pools/${id}`)).status).toBe(204);
      });

      it('soft-deletes a pool: gone from list and by id, no environment may bind it, audited', async () => {
        const id = await newPool();
        expect((await req('DELETE', `/runner-pools/${id}`)).status).toBe(204);
        expect((await req('GET', `/runner-pools/${id}`)).status).toBe(404);
        expect(idsOf(await req('GET', `/runner-pools?project_id=${f.project}&limit=200`))).not.toContain(id);
        const bind = await req('PATCH', `/environments/${f.envs.dev}`, { runner_pool_id: id });
        expect([bind.status, fieldsOf(bind)]).toEqual([422, ['runner_pool_id']]);
        expect((await req('POST', `/runner-pools/${id}/registration-tokens`, {})).status).toBe(404);
        expect(await actions(id)).toContain('runner_pool.deleted');
        const [row] = await p.deps.database.db.select().from(runnerPools).where(eq(runnerPools.id, id));
        expect(row?.deletedAt).toBeInstanceOf(Date);
      });
    });

    it('lets only the write permission change or delete each resource', async () => {
      const viewer = await p.userWithRole('viewer', f.project);
      const as = (method: string, path: string, body?: unknown) =>
        p.request(method, path, { token: viewer.token, ...(body === undefined ? {} : { body }) });
      expect((await as('PATCH', `/services/${f.serviceId}`, { description: 'x' })).status).toBe(403);
      expect((await as('DELETE', `/services/${f.serviceId}`)).status).toBe(403);
      expect((await as('PATCH', `/hosts/${f.hostId}`, { port: 23 })).status).toBe(403);
      expect((await as('DELETE', `/hosts/${f.hostId}`)).status).toBe(403);
      expect((await as('PATCH', `/clusters/${f.clusterId}`, { name: 'x' })).status).toBe(403);
      expect((await as('DELETE', `/clusters/${f.clusterId}`)).status).toBe(403);
      expect((await as('PATCH', `/runner-pools/${f.pool}`, { name: 'x' })).status).toBe(403);
      expect((await as('DELETE', `/runner-pools/${f.pool}`)).status).toBe(403);
    });
  },
);
