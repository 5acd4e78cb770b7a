import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { ListState } from './States';

/**
 * A list as a table, with its loading, failed and empty states; narrow screens scroll it
 * sideways instead of squeezing the columns.
 */
export function DataTable({
  label,
  what,
  columns,
  query,
  empty,
  emptyText,
  minWidth = 480,
  children,
}: {
  /** The table's accessible name. */
  label: string;
  /** What the list holds, for "Loading …" and "Could not load …". */
  what: string;
  columns: ReactNode[];
  query: { isPending: boolean; error: unknown };
  empty: boolean;
  emptyText: string;
  minWidth?: number;
  children: ReactNode;
}) {
  return (
    <ListState loading={query.isPending} error={query.error} empty={empty} emptyText={emptyText} label={what}>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column, i) => (
                <Table.Th key={i}>{column}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </ListState>
  );
}
