"use client";

import type { ReactNode } from "react";
import { useTableState } from "@/components/data-table/table-keys";
import { BulkConfirm, type BulkItem } from "./bulk-confirm";

/** Above the queue for leads: the hint, or how many rows are selected and bulk confirm for them. */
export function QueueSelectionBar({ hint, items }: { hint: ReactNode; items: BulkItem[] }) {
  const { selected, clear } = useTableState();
  const chosen = items.filter((i) => selected.has(i.recordId));
  return (
    <div className="flex min-h-9 items-center gap-3 text-sm" aria-live="polite">
      {chosen.length === 0 ? (
        <span className="text-zinc-500 dark:text-zinc-400">{hint}</span>
      ) : (
        <>
          <span className="font-medium">{chosen.length} selected</span>
          <BulkConfirm items={chosen} onDone={clear} />
        </>
      )}
    </div>
  );
}
