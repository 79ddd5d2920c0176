import { Table, Text } from '@mantine/core';
import { TableScroll } from './TableScroll';

/**
 * A named list as a table that scrolls sideways on a phone, or one line saying there is none
 * yet. `row` renders one `Table.Tr` (with its key) per item.
 */
export function ListTable<T>(props: {
  label: string;
  minWidth: number;
  headers: string[];
  items: readonly T[];
  empty: string;
  row: (item: T) => React.ReactNode;
}) {
  if (!props.items.length) return <Text size="sm">{props.empty}</Text>;
  return (
    <TableScroll label={props.label} minWidth={props.minWidth}>
      <Table aria-label={props.label}>
        <Table.Thead>
          <Table.Tr>
            {props.headers.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.items.map(props.row)}</Table.Tbody>
      </Table>
    </TableScroll>
  );
}
