import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A column of a detail page's small table: its header and whether its numbers sit right. */
export interface DetailColumn {
  label: string;
  align?: "right";
}

/**
 * The small tables inside a detail page's panels (the travelling group, similar records, a
 * report's log rows): a muted header row, hairlines between rows. Lists of many rows use
 * the list kit (components/data-table) instead.
 */
export function DetailTable({ caption, columns, children }: { caption?: string; columns: readonly DetailColumn[]; children: ReactNode }) {
  return (
    <table className="w-full text-left text-sm">
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead>
        <tr className="text-xs text-zinc-500">
          {columns.map((c, i) => (
            <th key={c.label} className={cn("py-1 font-medium", i < columns.length - 1 && "pr-3", c.align === "right" && "text-right")}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** One row of a DetailTable. */
export function DetailRow({ children, className }: { children: ReactNode; className?: string }) {
  return <tr className={cn("border-t border-zinc-100 dark:border-zinc-800", className)}>{children}</tr>;
}
