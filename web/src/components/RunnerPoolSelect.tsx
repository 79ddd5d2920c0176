import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/** The runner pools a resource of `projectId` may use: the project's own and the shared ones. */
export function RunnerPoolSelect(props: {
  projectId: string | null;
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string | undefined;
  description?: string;
}) {
  const pools = useQuery({ queryKey: ['runner-pools'], queryFn: () => ok(api.GET('/runner-pools', {})) });
  return (
    <Select
      label="Runner pool"
      placeholder="None (nothing can run against it yet)"
      description={props.description}
      clearable
      data={(pools.data?.items ?? [])
        .filter((p) => p.project_id === null || p.project_id === props.projectId)
        .map((p) => ({ value: p.id, label: p.name }))}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  );
}
