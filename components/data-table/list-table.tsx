import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { RowKeysHint } from "./row-keys-hint";
import { KeyRow, SelectAllBox, TableKeys, type FocusShortcut } from "./table-keys";

/** One column: its header, its layout class (width, alignment; on the header and every cell) and its cell. */
export interface ListColumn<T> {
  id: string;
  header: ReactNode;
  className?: string;
  cell: (row: T) => ReactNode;
}

const CELL = "border-b border-zinc-100 px-3 align-middle dark:border-zinc-800/70";

/**
 * The list table, rendered on the server: headers and cells are server HTML (a 100-row page
 * costs the browser no component code per cell); sorting, filters and paging live in the URL.
 * A sticky header; widths from each column's layout class (a fixed layout, so the table fits
 * its container and never scrolls sideways). The keyboard (j / k / Enter / x / ?) and the
 * selection are a small client island (./table-keys.tsx) that knows the rows by id.
 * `selectionBar` (a client component reading the selection) turns on the boxes and `x`.
 */
export function ListTable<T>({
  label,
  columns,
  data,
  rowId,
  rowHref,
  opens = "the row",
  testIdPrefix,
  selectionBar,
  shortcuts,
  resetKey,
}: {
  /** the table's accessible name */
  label: string;
  columns: ListColumn<T>[];
  data: T[];
  rowId: (row: T) => string;
  /** where Enter and a double click on a row go */
  rowHref?: (row: T) => string | null;
  /** what Enter opens, for the hint under the table ("the record") */
  opens?: string;
  /** rows carry `data-testid="<prefix>-<row id>"` */
  testIdPrefix?: string;
  selectionBar?: ReactNode;
  shortcuts?: FocusShortcut[];
  /** a new value starts the keyboard and selection afresh (a new view or page) */
  resetKey?: string;
}) {
  const ids = data.map(rowId);
  const selectable = selectionBar !== undefined;
  return (
    <TableKeys key={resetKey} ids={ids} hrefs={rowHref ? data.map(rowHref) : null} selectable={selectable} opens={opens} shortcuts={shortcuts}>
      {selectionBar}
      {/* overflow-clip (not auto): rounded corners without a scroll container, so the header stays sticky. */}
      <div className="overflow-clip rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table aria-label={label} className="w-full table-fixed text-left text-sm">
          <thead className="sticky top-0 z-10">
            <tr>
              {selectable ? <SelectAllBox /> : null}
              {columns.map((column) => (
                <th
                  key={column.id}
                  scope="col"
                  className={cn(
                    "whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400",
                    column.className,
                  )}
                >
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((row, i) => (
              <KeyRow key={ids[i]} index={i} id={ids[i]!} testId={testIdPrefix ? `${testIdPrefix}-${ids[i]}` : undefined}>
                {columns.map((column) => (
                  <td key={column.id} className={cn(CELL, "h-9 py-1.5", column.className)}>
                    {column.cell(row)}
                  </td>
                ))}
              </KeyRow>
            ))}
          </tbody>
        </table>
        <RowKeysHint canOpen={Boolean(rowHref)} opens={opens} />
      </div>
    </TableKeys>
  );
}
