import {
  Alert,
  Button,
  Grid,
  Group,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, ok } from '../../api/client';
import { deployTargetsQuery, environmentsQuery, servicesQuery } from '../../api/lists';
import { can, useMe } from '../../api/me';
import type { Release } from '../../api/types';
import { PageTitle } from '../../app/Layout';
import { ErrorNote } from '../../components/ErrorNote';
import { Loading } from '../../components/Loading';
import { ChecksList, DiffSummary, RiskBadge, RiskReasons } from '../../components/ReleaseBits';
import { placeholdersOf } from './placeholders';

type Runtime = 'all' | 'k8s' | 'compose';

/**
 * diff2html is needed only once a preview exists: kept out of the page's first load (issue 16),
 * and fetched when the preview is asked for, beside the API's answer.
 */
const loadDiffView = () => import('../../components/DiffView');
const DiffView = lazy(() => loadDiffView().then((m) => ({ default: m.DiffView })));

export default function DeployPage() {
  const me = useMe();
  const navigate = useNavigate();
  const services = useQuery(servicesQuery());
  const environments = useQuery(environmentsQuery());
  const targets = useQuery(deployTargetsQuery());

  const [serviceId, setServiceId] = useState<string | null>(null);
  const [environmentId, setEnvironmentId] = useState<string | null>(null);
  const [runtime, setRuntime] = useState<Runtime>('all');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Release | null>(null);

  const service = services.data?.items.find((s) => s.id === serviceId);
  const target = targets.data?.items.find((t) => t.id === targetId);
  const envOptions = (environments.data?.items ?? [])
    .filter((e) => !service || e.project_id === service.project_id)
    .map((e) => ({ value: e.id, label: `${e.name} (${e.tier})` }));
  const targetOptions = (targets.data?.items ?? [])
    .filter(
      (t) =>
        (!service || t.project_id === service.project_id) &&
        (!environmentId || t.environment_id === environmentId),
    )
    .filter((t) => runtime === 'all' || t.runtime_type === runtime)
    .map((t) => ({ value: t.id, label: `${t.name} · ${t.runtime_type}` }));
  const names = useMemo(
    () => placeholdersOf(target?.runtime_type === 'k8s' ? service?.k8s_manifest : service?.compose_file),
    [service, target],
  );
  // What the target runs of this service now: the form starts from it (SPEC §7.0, §7.1).
  const current = useQuery({
    queryKey: ['service-variables', serviceId, targetId],
    queryFn: () =>
      ok(
        api.GET('/services/{id}/variables', {
          params: { path: { id: serviceId! }, query: { target_id: targetId! } },
        }),
      ),
    enabled: Boolean(serviceId && targetId),
  });
  const secretNames = current.data?.secret ?? service?.secret_variables ?? [];
  /** Secrets the applied release has: left empty, the server keeps them (never sent back masked). */
  const kept = (name: string) => secretNames.includes(name) && current.data?.values[name] !== undefined;
  const prefilled = current.data;
  useEffect(() => {
    if (!prefilled) return;
    const plain = Object.entries(prefilled.values).filter(([k]) => !prefilled.secret.includes(k));
    // What the user typed wins over the applied value.
    setValues((typed) => ({ ...Object.fromEntries(plain), ...typed }));
  }, [prefilled]);
  const runtimeType = target?.runtime_type;
  const missing =
    !service || !runtimeType
      ? null
      : ['deploy:release:apply', `deploy:${runtimeType}:apply`].find(
          (p) => !can(me.data, p, service.project_id),
        );

  const reset = () => setPreview(null);
  const makePreview = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/deploy/releases/preview', {
          body: {
            service_id: serviceId!,
            target_id: targetId!,
            variables: Object.fromEntries(
              Object.entries(values).filter(([k, v]) => names.includes(k) && !(v === '' && kept(k))),
            ),
          },
        }),
      ),
    onMutate: () => {
      void loadDiffView();
    },
    onSuccess: setPreview,
  });
  const apply = useMutation({
    mutationFn: () =>
      ok(api.POST('/deploy/releases/apply', { body: { preview_ref: preview!.preview_ref! } })),
    onSuccess: (r) => navigate(`/releases/${r.release_id}`),
  });
  const stale =
    apply.error instanceof ApiError &&
    ['PREVIEW_STALE', 'PREVIEW_EXPIRED', 'PREVIEW_USED'].includes(apply.error.code);

  return (
    <Stack>
      <PageTitle>Deploy</PageTitle>
      <form
        aria-label="Deploy"
        onSubmit={(e) => {
          e.preventDefault();
          makePreview.mutate();
        }}
      >
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack>
              <Select
                label="Service"
                placeholder="Choose a service"
                searchable
                data={(services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
                value={serviceId}
                onChange={(v) => {
                  setServiceId(v);
                  setTargetId(null);
                  setValues({});
                  reset();
                }}
              />
              <Select
                label="Environment"
                placeholder="Any environment"
                clearable
                data={envOptions}
                value={environmentId}
                onChange={(v) => {
                  setEnvironmentId(v);
                  setTargetId(null);
                  reset();
                }}
              />
              <div>
                <Text size="sm" fw={500} id="runtime-label" mb={4}>
                  Runtime
                </Text>
                <SegmentedControl
                  aria-labelledby="runtime-label"
                  value={runtime}
                  onChange={(v) => {
                    setRuntime(v as Runtime);
                    setTargetId(null);
                    reset();
                  }}
                  data={[
                    { value: 'all', label: 'All' },
                    { value: 'k8s', label: 'Kubernetes' },
                    { value: 'compose', label: 'Compose' },
                  ]}
                />
              </div>
              <Select
                label="Target"
                placeholder="Choose a target"
                data={targetOptions}
                value={targetId}
                onChange={(v) => {
                  setTargetId(v);
                  // The next target's applied values fill the form afresh.
                  setValues({});
                  reset();
                }}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack>
              <Title order={2} size="h4">
                Variables
              </Title>
              {names.length === 0 && (
                <Text c="dimmed" size="sm">
                  {target ? 'The template uses no variables.' : 'Choose a service and a target.'}
                </Text>
              )}
              {names.map((name) => {
                const secret = secretNames.includes(name);
                const Field = secret ? PasswordInput : TextInput;
                return (
                  <Field
                    key={name}
                    label={name}
                    description={
                      kept(name)
                        ? 'secret: the current value is kept unless you type a new one'
                        : secret
                          ? 'secret: masked everywhere it appears'
                          : undefined
                    }
                    placeholder={kept(name) ? 'unchanged — leave empty to keep' : undefined}
                    value={values[name] ?? ''}
                    // Until the applied values arrive the field is not editable: text typed into
                    // it then would land beside the value filled in a moment later.
                    disabled={current.isLoading}
                    error={makePreview.error instanceof ApiError ? makePreview.error.field(name) : undefined}
                    onChange={(e) => {
                      const typed = e.currentTarget.value;
                      setValues((v) => ({ ...v, [name]: typed }));
                      reset();
                    }}
                  />
                );
              })}
            </Stack>
          </Grid.Col>
        </Grid>
        <Group mt="md">
          <Button
            type="submit"
            disabled={!serviceId || !targetId || Boolean(missing)}
            loading={makePreview.isPending}
          >
            Preview
          </Button>
          {missing && (
            <Text size="sm" c="dimmed">
              You may not deploy here: missing permission {missing}
            </Text>
          )}
        </Group>
      </form>
      <ErrorNote error={makePreview.error} title="Preview refused" />
      {preview && (
        <Stack gap="sm" aria-label="Preview" component="section">
          <Group>
            <Title order={2} size="h3">
              Preview
            </Title>
            <RiskBadge level={preview.risk_level} />
            {preview.approval_required && (
              <Text size="sm">Production policy: applying opens an approval ticket.</Text>
            )}
          </Group>
          <RiskReasons reasons={preview.risk_reasons} />
          <ChecksList checks={preview.checks} />
          <DiffSummary summary={preview.diff.summary} />
          <Suspense fallback={<Loading />}>
            <DiffView unified={preview.diff.unified} />
          </Suspense>
          {stale ? (
            <Alert color="yellow" title="This preview can no longer be applied">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{(apply.error as ApiError).message}</Text>
                <Button
                  variant="outline"
                  onClick={() => {
                    apply.reset();
                    makePreview.mutate();
                  }}
                >
                  Preview again
                </Button>
              </Stack>
            </Alert>
          ) : (
            <ErrorNote error={apply.error} title="Apply refused" />
          )}
          {!missing && (
            <Group>
              <Button
                color="teal"
                onClick={() => apply.mutate()}
                loading={apply.isPending}
                disabled={preview.checks.some((c) => c.status === 'fail') || stale}
              >
                Apply
              </Button>
              <Text size="xs" c="dimmed">
                expires {new Date(preview.expires_at).toLocaleTimeString()}
              </Text>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
