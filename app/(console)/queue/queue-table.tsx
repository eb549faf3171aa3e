"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { tinykeys } from "tinykeys";
import { isTyping } from "@/components/ui/keyboard";
import { bulkConfirmAction } from "@/lib/actions/decisions";
import { IntervalBar } from "@/components/charts/interval-bar";
import { ReasonBadge } from "@/components/review/codes";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ShortcutsHelp } from "@/components/ui/shortcuts-help";
import { useAction } from "@/components/ui/use-action";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import type { QueueItem } from "@/lib/data/queue";
import { QUEUE_SORTS, type QueueSort } from "@/lib/validations/queue";

const features = tableFeatures({});

/** A record's page, remembering the queue view it was opened from (for `n` and after a decision). */
function recordHref(recordId: string, params: Record<string, string>): string {
  const view = new URLSearchParams(params).toString();
  return `/queue/${encodeURIComponent(recordId)}${view ? `?view=${encodeURIComponent(view)}` : ""}`;
}

/** The queue page's shortcuts (ui.md); none fires while typing in a field. */
const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["j", "next row"],
  ["k", "previous row"],
  ["Enter", "open the active record"],
  ["x", "select the active row (leads: bulk confirm)"],
  ["/", "jump to the filters"],
  ["?", "show or hide this list"],
];
const helper = createColumnHelper<typeof features, QueueItem>();

/** Header link that orders the queue by `sort` (toggling the direction when already active). */
function SortHeader({ label, sort, current, dir, params, align = "left" }: { label: string; sort: QueueSort; current: QueueSort; dir: "asc" | "desc" | undefined; params: Record<string, string>; align?: "left" | "right" }) {
  const active = sort === current;
  const effective = dir ?? QUEUE_SORTS[current].defaultDir;
  const nextDir = active ? (effective === "asc" ? "desc" : "asc") : QUEUE_SORTS[sort].defaultDir;
  const next = new URLSearchParams({ ...params, sort, dir: nextDir });
  next.delete("cursor");
  return (
    <Link
      href={`/queue?${next.toString()}`}
      aria-sort={active ? (effective === "asc" ? "ascending" : "descending") : undefined}
      className={cn("inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100", align === "right" && "justify-end", active && "text-zinc-900 dark:text-zinc-100")}
    >
      {label}
      <span aria-hidden className="text-[10px]">{active ? (effective === "asc" ? "▲" : "▼") : "↕"}</span>
    </Link>
  );
}

function Missing() {
  return <span className="italic text-zinc-400">missing</span>;
}

const columns = (sort: QueueSort, dir: "asc" | "desc" | undefined, params: Record<string, string>) =>
  helper.columns([
    helper.accessor("recordId", {
      header: () => <SortHeader label="Record (triage)" sort="triage" current={sort} dir={dir} params={params} />,
      cell: (c) => (
        <Link href={recordHref(c.getValue(), params)} className="font-mono text-sky-700 hover:underline dark:text-sky-400" tabIndex={-1}>
          {c.getValue()}
        </Link>
      ),
    }),
    helper.display({
      id: "interval",
      header: () => <span title="p10–p90 with p50; dashed: the decision threshold">Interval p10 · p50 · p90</span>,
      cell: (c) => {
        const r = c.row.original;
        return (
          <span className="flex items-center gap-2">
            <IntervalBar p10={r.p10} p50={r.p50} p90={r.p90} width={96} />
            <span className="tabular text-xs text-zinc-500 dark:text-zinc-400">{r.p50.toFixed(3)}</span>
          </span>
        );
      },
    }),
    helper.accessor("confidence", {
      header: () => <SortHeader label="Confidence" sort="confidence" current={sort} dir={dir} params={params} align="right" />,
      cell: (c) => <span className="tabular block text-right">{c.getValue().toFixed(3)}</span>,
    }),
    helper.accessor("fragilityScore", {
      header: () => <SortHeader label="Fragility vs θ" sort="fragility" current={sort} dir={dir} params={params} align="right" />,
      cell: (c) => {
        const r = c.row.original;
        return (
          <span className="flex items-center justify-end gap-2 whitespace-nowrap">
            {r.fragile ? (
              <Badge tone="orange" title="Fragility score ≥ θ, or a canary">fragile</Badge>
            ) : (
              <Badge title="Not fragile: sent to audit because its confidence is below CS_ACCEPT (or its batch is held)">low conf.</Badge>
            )}
            <span className="tabular" title={`fragility score ${r.fragilityScore.toFixed(3)}, θ ${r.theta.toFixed(3)}`}>
              {r.fragilityScore.toFixed(2)}
              <span className="text-xs text-zinc-400"> / {r.theta.toFixed(2)}</span>
            </span>
          </span>
        );
      },
    }),
    helper.accessor("reasonCodes", {
      header: "Reasons",
      cell: (c) => {
        const codes = c.getValue();
        return (
          <span className="flex items-center gap-1 whitespace-nowrap">
            {codes.slice(0, 2).map((code) => (
              <ReasonBadge key={code} code={code} />
            ))}
            {codes.length > 2 ? (
              <span className="tabular text-xs text-zinc-500" title={codes.slice(2).join(", ")}>
                +{codes.length - 2}
              </span>
            ) : null}
          </span>
        );
      },
    }),
    helper.accessor("clusterId", { header: "Cluster", cell: (c) => <span className="whitespace-nowrap text-xs">{c.getValue() || <Missing />}</span> }),
    helper.accessor("batchId", {
      header: "Batch",
      cell: (c) => (
        <span className="flex items-center gap-1 whitespace-nowrap">
          <span className="block max-w-[8rem] truncate font-mono text-xs" title={c.getValue()}>
            {c.getValue()}
          </span>
          {c.row.original.batchHeld ? <Badge tone="violet">held</Badge> : null}
        </span>
      ),
    }),
    helper.accessor("createdAt", {
      header: () => <SortHeader label="Age" sort="age" current={sort} dir={dir} params={params} />,
      cell: (c) => <Time value={c.getValue()} className="tabular whitespace-nowrap text-xs text-zinc-500" />,
    }),
  ]);

/**
 * The queue page's table (TanStack Table v9; sorting and paging are server-side, in the
 * URL). Keyboard: j / k move the active row, Enter opens it; never while typing.
 */
export function QueueTable({
  items,
  sort,
  dir,
  params,
  canBulk,
}: {
  items: QueueItem[];
  sort: QueueSort;
  dir: "asc" | "desc" | undefined;
  params: Record<string, string>;
  canBulk: boolean;
}) {
  // The page remounts this table for every view (key), so the columns are fixed per mount.
  const [cols] = useState(() => columns(sort, dir, params));
  const table = useTable({ features, columns: cols, data: items, getRowId: (row) => row.recordId });
  const [active, setActive] = useState(0);
  const [help, setHelp] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulk = useAction(bulkConfirmAction);
  const bulkRequest = useRef<string>("");
  const router = useRouter();
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  function confirmSelected() {
    const chosen = items.filter((i) => selected.has(i.recordId));
    bulkRequest.current ||= crypto.randomUUID();
    bulk.run(
      { items: chosen.map((i) => ({ recordId: i.recordId, resultVersion: i.version, ledgerVersion: i.ledgerVersion, machineLabel: i.decision })), requestId: bulkRequest.current },
      {
        onSuccess: (d) => {
          toast.success(`Confirmed ${d.confirmed} record${d.confirmed === 1 ? "" : "s"}${d.replayed ? " (already recorded)" : ""}`);
          bulkRequest.current = "";
          setSelected(new Set());
          router.refresh();
        },
      },
    );
  }
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => {
    // Marks the table once its shortcuts listen (tests and scripts wait for it).
    tableRef.current?.setAttribute("data-keyboard", "on");
    const toggleHelp = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      e.preventDefault();
      setHelp((open) => !open);
    };
    return tinykeys(window, {
      j: (e) => {
        if (isTyping(e)) return;
        setActive((i) => Math.min(i + 1, items.length - 1));
      },
      k: (e) => {
        if (isTyping(e)) return;
        setActive((i) => Math.max(i - 1, 0));
      },
      // "?" arrives with or without Shift depending on the keyboard layout.
      "?": toggleHelp,
      "Shift+?": toggleHelp,
      Escape: () => setHelp(false),
      "/": (e) => {
        if (isTyping(e)) return;
        e.preventDefault();
        document.getElementById("f-kind")?.focus();
      },
      Enter: (e) => {
        if (isTyping(e) || (e.target instanceof HTMLElement && e.target.tagName === "A")) return;
        const item = items[active];
        if (item) router.push(recordHref(item.recordId, params));
      },
      x: (e) => {
        if (isTyping(e) || !canBulk) return;
        const item = items[active];
        if (item) toggle(item.recordId);
      },
    });
  }, [items, active, router, params, canBulk]);

  useEffect(() => {
    rows.current[active]?.scrollIntoView({ block: "nearest" });
  }, [active]);

  return (
    <div className="space-y-2">
    {canBulk ? (
      <div className="flex min-h-9 items-center gap-3 text-sm" aria-live="polite">
        {selected.size === 0 ? (
          <span className="text-zinc-500 dark:text-zinc-400">
            Select rows with <kbd className="font-mono">x</kbd> or the boxes to confirm several machine labels at once.
          </span>
        ) : (
          <>
            <span className="font-medium">{selected.size} selected</span>
            <Button size="sm" onClick={confirmSelected} disabled={bulk.pending}>
              Confirm {selected.size} machine label{selected.size === 1 ? "" : "s"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
              Clear
            </Button>
            {bulk.error ? <span className="text-red-700 dark:text-red-400">{bulk.error}</span> : null}
          </>
        )}
      </div>
    ) : null}
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table ref={tableRef} aria-label="Audit queue" className="w-full text-left text-sm">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {canBulk ? (
                <th scope="col" className="w-8 border-b border-zinc-200 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={items.length > 0 && selected.size === items.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.recordId)) : new Set())}
                  />
                </th>
              ) : null}
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  className="whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400"
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
              data-testid={`queue-row-${row.id}`}
              aria-selected={i === active}
              onClick={() => setActive(i)}
              onDoubleClick={() => router.push(recordHref(row.id, params))}
              className={cn("cursor-default", i === active ? "bg-sky-50 dark:bg-sky-950/50" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40")}
            >
              {canBulk ? (
                <td className="h-9 w-8 border-b border-zinc-100 px-3 align-middle dark:border-zinc-800/70">
                  <input type="checkbox" aria-label={`Select ${row.id}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                </td>
              ) : null}
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={cn("h-9 border-b border-zinc-100 px-3 py-1.5 align-middle dark:border-zinc-800/70", i === active && cell.column.id === "recordId" && "border-l-2 border-l-sky-600")}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <kbd className="font-mono">j</kbd>/<kbd className="font-mono">k</kbd> move · <kbd className="font-mono">Enter</kbd> opens the record ·{" "}
        <kbd className="font-mono">?</kbd> all shortcuts
      </p>
      {help ? (
        <ShortcutsHelp shortcuts={SHORTCUTS} onClose={() => setHelp(false)} />
      ) : null}
    </div>
    </div>
  );
}
