import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  Select,
  Stack,
  Stepper,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, ok } from '../../../api/client';
import type { InstallBundle } from '../../../api/types';
import { ErrorNote } from '../../../components/ErrorNote';

type Runtime = 'compose' | 'k8s';
type Role = 'control-plane' | 'worker';
type Form = {
  runtime: Runtime | null;
  version: string | null;
  hostIds: string[];
  prefix: string;
  parallelism: number;
  vip: boolean;
  vipAddress: string;
  /** k8s: roles chosen so far; a host not in it has its default (see roleOf). */
  roles: Record<string, Role>;
};
const EMPTY: Form = {
  runtime: null,
  version: null,
  hostIds: [],
  prefix: '/',
  parallelism: 5,
  vip: false,
  vipAddress: '',
  roles: {},
};
const STEPS = ['Runtime', 'Version', 'Hosts', 'Options', 'Review'] as const;
const RUNTIME_LABEL: Record<Runtime, string> = { compose: 'Docker Compose engine', k8s: 'Kubernetes node' };

/** The API's message for the first field under `prefix` (`host_ids` covers `host_ids[2]`). */
function fieldUnder(error: unknown, prefix: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const f = error.fields.find((x) => x.path === prefix || x.path.startsWith(`${prefix}[`));
  return f && `${f.message}${f.path === prefix ? '' : ` (${f.path})`}`;
}

/** Which wizard step holds the field the API refused, so the user lands where to fix it. */
function stepOf(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.fields.length === 0) return null;
  const path = error.fields[0]!.path;
  if (path.startsWith('runtime')) return 0;
  if (path.startsWith('version')) return 1;
  if (path.startsWith('host_ids') || path.startsWith('options.roles')) return 2;
  if (path.startsWith('options')) return 3;
  return null;
}

const platforms = (b: InstallBundle) =>
  b.platforms.map((p) => `${p.os}/${p.arch}: ${p.distributions.join(', ')}`).join('; ');

/**
 * Install runtime: runtime → version (from the manifest) → hosts of the project → options →
 * review → start. Starting opens the task page, which follows the install live.
 */
export function InstallWizard({
  environmentId,
  projectId,
  tier,
}: {
  environmentId: string;
  projectId: string;
  tier: string;
}) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [active, setActive] = useState(0);
  const [form, setForm] = useState<Form>(EMPTY);
  const bundles = useQuery({
    queryKey: ['install-bundles'],
    queryFn: () => ok(api.GET('/install/bundles')),
    staleTime: 300_000,
  });
  const hosts = useQuery({
    queryKey: ['hosts', projectId, 'all'],
    queryFn: () => ok(api.GET('/hosts', { params: { query: { project_id: projectId, limit: 200 } } })),
  });
  const offered = (bundles.data?.items ?? []).filter((b) => b.runtime === form.runtime);
  const bundle = offered.find((b) => b.version === form.version);
  const vipPossible = form.runtime === 'k8s' && Boolean(bundle?.lvs_vip);
  const hostName = new Map((hosts.data?.items ?? []).map((h) => [h.id, `${h.name} (${h.address})`]));
  // The API's default too: the first host is the control plane, the others workers.
  const roleOf = (id: string): Role =>
    form.roles[id] ?? (form.hostIds[0] === id ? 'control-plane' : 'worker');
  const roles = Object.fromEntries(form.hostIds.map((id) => [id, roleOf(id)]));
  const hasControlPlane = form.hostIds.some((id) => roleOf(id) === 'control-plane');

  const start = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/environments/{id}/install', {
          params: { path: { id: environmentId } },
          body: {
            runtime: form.runtime!,
            version: form.version!,
            host_ids: form.hostIds,
            options: {
              prefix: form.prefix,
              parallelism: form.parallelism,
              lvs_vip: vipPossible && form.vip ? form.vipAddress.trim() : null,
              roles: form.runtime === 'k8s' ? roles : null,
            },
          },
        }),
      ),
    onSuccess: (task) => {
      void queries.invalidateQueries({ queryKey: ['install-tasks', environmentId] });
      navigate(`/environments/${environmentId}/install/${task.id}`);
    },
    onError: (e) => {
      const step = stepOf(e);
      if (step !== null) setActive(step);
    },
  });
  const err = start.error;
  const set = (patch: Partial<Form>) => {
    setForm({ ...form, ...patch });
    start.reset();
  };

  const ready = [
    form.runtime !== null,
    Boolean(bundle),
    form.hostIds.length > 0 && (form.runtime !== 'k8s' || hasControlPlane),
    form.prefix.startsWith('/') && (!vipPossible || !form.vip || form.vipAddress.trim() !== ''),
    true,
  ];

  return (
    <Paper withBorder p="md" component="section" aria-label="Install runtime">
      <Stack>
        <Title order={2} size="h4">
          Install runtime
        </Title>
        <Stepper
          active={active}
          onStepClick={setActive}
          allowNextStepsSelect={false}
          size="sm"
          orientation="horizontal"
          wrap
        >
          <Stepper.Step label="Runtime" description="what to install">
            {bundles.isPending ? (
              <Text size="sm">Loading the bundles…</Text>
            ) : (bundles.data?.runtimes.length ?? 0) === 0 ? (
              <Alert color="yellow" title="No bundles">
                This platform ships no install bundles.
              </Alert>
            ) : (
              <Radio.Group
                label="Runtime"
                value={form.runtime}
                onChange={(v) => set({ runtime: v as Runtime, version: null, vip: false })}
                error={fieldUnder(err, 'runtime')}
              >
                <Stack gap="xs" mt="xs">
                  {bundles.data!.runtimes.map((r) => (
                    <Radio key={r} value={r} label={RUNTIME_LABEL[r]} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            <ErrorNote error={bundles.error} title="Bundles not loaded" />
          </Stepper.Step>
          <Stepper.Step label="Version" description="from the bundles">
            <Stack>
              <Select
                label="Version"
                placeholder="Choose a version"
                data={offered.map((b) => ({
                  value: b.version,
                  label: b.synthetic ? `${b.version} (test stand-in)` : b.version,
                }))}
                value={form.version}
                onChange={(v) => set({ version: v, vip: false })}
                error={fieldUnder(err, 'version')}
                allowDeselect={false}
              />
              {bundle && <BundleFacts bundle={bundle} />}
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Hosts" description="of the project">
            <Stack>
              <MultiSelect
                label="Hosts"
                placeholder={hosts.data?.items.length === 0 ? 'This project has no hosts' : 'Choose hosts'}
                description={
                  form.runtime === 'k8s'
                    ? 'Then a role for each: the first control plane runs kubeadm init, the others join it.'
                    : undefined
                }
                data={(hosts.data?.items ?? []).map((h) => ({ value: h.id, label: hostName.get(h.id)! }))}
                value={form.hostIds}
                onChange={(v) => set({ hostIds: v })}
                error={fieldUnder(err, 'host_ids')}
                searchable
              />
              {form.runtime === 'k8s' && form.hostIds.length > 0 && (
                <Stack gap="xs" component="section" aria-label="Roles">
                  {form.hostIds.map((id) => (
                    <Radio.Group
                      key={id}
                      label={`Role of ${hostName.get(id) ?? id}`}
                      value={roleOf(id)}
                      onChange={(v) => set({ roles: { ...form.roles, [id]: v as Role } })}
                      error={fieldUnder(err, `options.roles.${id}`)}
                    >
                      <Group gap="md" mt={4}>
                        <Radio value="control-plane" label="Control plane" />
                        <Radio value="worker" label="Worker" />
                      </Group>
                    </Radio.Group>
                  ))}
                  {!hasControlPlane && (
                    <Text size="sm" c="red.8">
                      At least one host must be a control plane.
                    </Text>
                  )}
                  {fieldUnder(err, 'options.roles') && (
                    <Text size="sm" c="red.8">
                      {fieldUnder(err, 'options.roles')}
                    </Text>
                  )}
                </Stack>
              )}
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Options" description="prefix, parallelism">
            <Stack>
              <TextInput
                label="Install prefix"
                description="Every path goes under it: / on real hosts"
                value={form.prefix}
                onChange={(e) => set({ prefix: e.currentTarget.value })}
                error={fieldUnder(err, 'options.prefix')}
              />
              <NumberInput
                label="Parallelism"
                description="Hosts installed at once"
                min={1}
                max={50}
                value={form.parallelism}
                onChange={(v) => set({ parallelism: typeof v === 'number' ? v : 1 })}
                error={fieldUnder(err, 'options.parallelism')}
              />
              {form.runtime === 'k8s' &&
                (vipPossible ? (
                  <>
                    <Switch
                      label="Virtual IP (LVS) in front of the API servers"
                      checked={form.vip}
                      onChange={(e) => set({ vip: e.currentTarget.checked })}
                    />
                    {form.vip && (
                      <TextInput
                        label="VIP address"
                        description="ADDRESS/PREFIXLEN, e.g. 198.51.100.200/32. Set up by a VIP task of its own once the cluster is up; the control plane's kernel needs IPVS"
                        value={form.vipAddress}
                        onChange={(e) => set({ vipAddress: e.currentTarget.value })}
                        error={fieldUnder(err, 'options.lvs_vip')}
                      />
                    )}
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    This bundle ships no VIP hook: no virtual IP can be set up with it.
                  </Text>
                ))}
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Review" description="and start">
            <Stack gap="xs" component="section" aria-label="Review">
              <List size="sm" spacing={4}>
                <List.Item>
                  {form.runtime && RUNTIME_LABEL[form.runtime]} {form.version}
                </List.Item>
                <List.Item>
                  On {form.hostIds.length} host(s):{' '}
                  {form.hostIds
                    .map(
                      (h) =>
                        `${hostName.get(h) ?? h}${form.runtime === 'k8s' ? ` as ${roleOf(h) === 'control-plane' ? 'control plane' : 'worker'}` : ''}`,
                    )
                    .join(', ')}
                </List.Item>
                <List.Item>
                  Prefix {form.prefix}, {form.parallelism} at once
                  {vipPossible && form.vip ? `, then a VIP task for ${form.vipAddress}` : ''}
                </List.Item>
              </List>
              {tier !== 'development' && (
                <Text size="sm">
                  A {tier} environment: the project's policy may hold the install for a second person's
                  approval.
                </Text>
              )}
            </Stack>
          </Stepper.Step>
        </Stepper>
        <ErrorNote error={err} title="Install not started" />
        <Group>
          {active > 0 && (
            <Button variant="default" onClick={() => setActive(active - 1)}>
              Back
            </Button>
          )}
          {active < STEPS.length - 1 ? (
            <Button onClick={() => setActive(active + 1)} disabled={!ready[active]}>
              Next
            </Button>
          ) : (
            <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!ready.every(Boolean)}>
              Start install
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function BundleFacts({ bundle }: { bundle: InstallBundle }) {
  return (
    <Stack gap={4} component="section" aria-label="About this version">
      {bundle.synthetic && (
        <Badge color="yellow" variant="light">
          test stand-in, not for production
        </Badge>
      )}
      {bundle.description && <Text size="sm">{bundle.description}</Text>}
      <Text size="sm">Supports {platforms(bundle)}</Text>
      <Text size="sm" c="dimmed">
        Needs {bundle.min_disk_mb} MB free
        {bundle.ports.length ? `, ports ${bundle.ports.join(', ')} free` : ''}
      </Text>
    </Stack>
  );
}
