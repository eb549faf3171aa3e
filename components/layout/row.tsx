import type { ReactNode } from "react";

/**
 * One labelled value of a detail page's definition list (`<dl>`): the label left, the value
 * right-aligned with tabular numbers. Labels never wrap under their value.
 */
export function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4 border-b border-zinc-100 py-1.5 text-sm last:border-0 dark:border-zinc-800">
      <dt className="shrink-0 text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="tabular min-w-0 text-right">{children}</dd>
    </div>
  );
}
