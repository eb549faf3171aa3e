"use client";

import { useTable, type ColumnDef, type RowData } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { ShortcutsHelp } from "@/components/ui/shortcuts-help";
import { cn } from "@/lib/cn";
import { features, type KitFeatures } from "./features";
import { useRowKeys, useRowSelection, type RowShortcut } from "./row-keys";
import { RowKeysHint, rowShortcutLines } from "./row-keys-hint";

export interface DataTableProps<T extends RowData> {
  /** the table's accessible name */
  label: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column's value type varies by column
  columns: ColumnDef<KitFeatures, T, any>[];
  data: T[];
  rowId: (row: T) => string;
  /** where Enter and a double click on a row go */
  rowHref?: (row: T) => string | null;
  /** what Enter opens, for the hint under the table ("the record") */
  opens?: string;
  /** rows carry `data-testid="<prefix>-<row id>"` */
  testIdPrefix?: string;
  /** Turns on selection (boxes and `x`): what to offer for the selected rows. */
  selection?: { hint: ReactNode; actions: (selected: T[], clear: () => void) => ReactNode };
  /** the page's own shortcuts: key (tinykeys syntax), what it does, and the handler */
  shortcuts?: readonly RowShortcut[];
}

/**
 * The one list table (TanStack Table v9): columns from the page's columns file; sorting,
 * filters and paging live in the URL (server-side). A sticky header; widths from each
 * column's layout class (a fixed layout, so the table fits its container and never scrolls
 * sideways). Keyboard: j / k move the active row, Enter opens it, x selects it, ? lists the
 * shortcuts — none fires while typing in a field. The page remounts it for every view (key).
 */
export function DataTable<T extends RowData>({ label, columns, data, rowId, rowHref, opens = "the row", testIdPrefix, selection, shortcuts = [] }: DataTableProps<T>) {
  const table = useTable({ features, columns, data, getRowId: (row: T) => rowId(row) });
  const { selected, toggle, setAll, clear } = useRowSelection();
  const router = useRouter();
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const tableRef = useRef<HTMLTableElement>(null);

  const { active, setActive, help, setHelp } = useRowKeys({
    rowCount: data.length,
    hrefOf: (i) => (data[i] ? rowHref?.(data[i]) : null),
    toggleAt: selection
      ? (i) => {
          const row = data[i];
          if (row) toggle(rowId(row));
        }
      : null,
    shortcuts,
    table: () => tableRef.current,
  });

  useEffect(() => {
    rows.current[active]?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const helpLines = rowShortcutLines({ opens, canOpen: Boolean(rowHref), selectable: Boolean(selection), shortcuts });
  const chosen = data.filter((row) => selected.has(rowId(row)));
  const cell = "border-b border-zinc-100 px-3 align-middle dark:border-zinc-800/70";

  return (
    <div className="space-y-2">
      {selection ? (
        <div className="flex min-h-9 items-center gap-3 text-sm" aria-live="polite">
          {chosen.length === 0 ? (
            <span className="text-zinc-500 dark:text-zinc-400">{selection.hint}</span>
          ) : (
            <>
              <span className="font-medium">{chosen.length} selected</span>
              {selection.actions(chosen, clear)}
            </>
          )}
        </div>
      ) : null}
      {/* overflow-clip (not auto): rounded corners without a scroll container, so the header stays sticky. */}
      <div className="overflow-clip rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table ref={tableRef} aria-label={label} className="w-full table-fixed text-left text-sm">
          <thead className="sticky top-0 z-10">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {selection ? (
                  <th scope="col" className="w-9 border-b border-zinc-200 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      checked={data.length > 0 && chosen.length === data.length}
                      onChange={(e) => setAll(data.map(rowId), e.target.checked)}
                    />
                  </th>
                ) : null}
                {group.headers.map((header) => (
                  <th
                    key={header.id}
                    scope="col"
                    className={cn(
                      "whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400",
                      header.column.columnDef.meta?.className,
                    )}
                  >
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row, i) => (
              <tr
                key={row.id}
                ref={(el) => {
                  rows.current[i] = el;
                }}
                data-testid={testIdPrefix ? `${testIdPrefix}-${row.id}` : undefined}
                aria-selected={i === active}
                onClick={() => setActive(i)}
                onDoubleClick={() => {
                  const href = rowHref?.(row.original);
                  if (href) router.push(href);
                }}
                className={cn("cursor-default", i === active ? "bg-sky-50 dark:bg-sky-950/50" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40")}
              >
                {selection ? (
                  <td className={cn(cell, "h-9 w-9", i === active && "border-l-2 border-l-sky-600")}>
                    <input type="checkbox" aria-label={`Select ${row.id}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                  </td>
                ) : null}
                {row.getAllCells().map((c, j) => (
                  <td key={c.id} className={cn(cell, "h-9 py-1.5", c.column.columnDef.meta?.className, !selection && j === 0 && i === active && "border-l-2 border-l-sky-600")}>
                    <table.FlexRender cell={c} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <RowKeysHint canOpen={Boolean(rowHref)} opens={opens} />
      </div>
      {help ? <ShortcutsHelp shortcuts={helpLines} onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
