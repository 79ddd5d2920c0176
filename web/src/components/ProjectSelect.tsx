import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/** The projects the user can see, by name. */
export function ProjectSelect(props: {
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string | undefined;
  label?: string;
  clearable?: boolean;
  disabled?: boolean;
}) {
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => ok(api.GET('/projects', {})) });
  return (
    <Select
      label={props.label ?? 'Project'}
      placeholder="Choose a project"
      data={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      clearable={props.clearable}
      disabled={props.disabled}
    />
  );
}
