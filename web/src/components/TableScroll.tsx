import { Table } from '@mantine/core';

/**
 * A table wider than a phone scrolls inside its own box instead of widening the page. The box is
 * focusable (keyboard users scroll it too) and, being focusable, named.
 */
export function TableScroll(props: { label: string; minWidth: number; children: React.ReactNode }) {
  return (
    <Table.ScrollContainer
      minWidth={props.minWidth}
      type="native"
      role="region"
      aria-label={`${props.label}, scrolls sideways`}
      tabIndex={0}
    >
      {props.children}
    </Table.ScrollContainer>
  );
}
