"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { tinykeys } from "tinykeys";
import { isTyping } from "@/components/ui/keyboard";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import { CAUSE_CATEGORY_LABELS, type CauseCategory, type ConfidenceTier, type Priority } from "@/lib/mrs/taxonomy";

/** What the list shows of an event roll-up (the page passes plain rows). */
export interface EventListRow {
  eventId: string;
  reportGroupId: string;
  causeCategory: CauseCategory;
  causeLabel: string | null;
  causeSource: "analyst" | "machine";
  confidence: number | null;
  tier: ConfidenceTier | null;
  priority: Priority;
  status: string;
  degraded: boolean;
  autoConfirmed: boolean;
  reportCount: number;
  retailers: string[];
  upliftSum: number | null;
  windowStart: string | null;
}

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, EventListRow>();
const PRIORITY_TONE: Record<Priority, BadgeTone> = { high: "red", medium: "amber", low: "neutral" };
const TIER_CLASS: Record<ConfidenceTier, string> = {
  high: "bg-indigo-600 text-white ring-indigo-600",
  medium: "bg-indigo-100 text-indigo-800 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-200",
  low: "bg-transparent text-indigo-700 ring-indigo-300 dark:text-indigo-300",
};

function eventHref(id: string, asOf: string | null) {
  return `/events/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ""}`;
}

const columns = (asOf: string | null) =>
  helper.columns([
    helper.accessor("reportGroupId", {
      header: "Event",
      cell: (c) => (
        <Link href={eventHref(c.row.original.eventId, asOf)} className="font-mono text-sky-700 hover:underline dark:text-sky-400" tabIndex={-1}>
          {c.getValue()}
        </Link>
      ),
    }),
    helper.accessor("priority", { header: "Priority", cell: (c) => <Badge tone={PRIORITY_TONE[c.getValue()]}>{c.getValue()}</Badge> }),
    helper.accessor("causeLabel", {
      header: "Cause",
      cell: (c) => (
        <span>
          <span className="font-medium">{c.getValue() ?? CAUSE_CATEGORY_LABELS[c.row.original.causeCategory].label}</span>{" "}
          <span className="text-xs text-zinc-500">
            {CAUSE_CATEGORY_LABELS[c.row.original.causeCategory].label}
            {c.row.original.causeSource === "analyst" ? " · analyst" : ""}
          </span>
        </span>
      ),
    }),
    helper.accessor("confidence", {
      header: () => <span className="block text-right">Confidence</span>,
      cell: (c) => {
        const tier = c.row.original.tier;
        return (
          <span className="flex items-center justify-end gap-2">
            <span className="tabular">{c.getValue() === null ? <span className="italic text-zinc-400">missing</span> : c.getValue()!.toFixed(2)}</span>
            {tier ? <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", TIER_CLASS[tier])}>{tier}</span> : null}
          </span>
        );
      },
    }),
    helper.accessor("status", {
      header: "Status",
      cell: (c) => (
        <span className="flex items-center gap-1">
          <Badge tone={c.getValue().startsWith("finalised") ? "green" : c.getValue().startsWith("decided") ? "indigo" : "amber"}>{c.getValue().replace(":degraded", "")}</Badge>
          {c.row.original.degraded ? <span className="rounded border border-dashed border-zinc-400 px-1.5 py-0.5 text-xs text-zinc-600 dark:text-zinc-300">degraded</span> : null}
          {c.row.original.autoConfirmed ? <span className="text-xs text-zinc-500">auto</span> : null}
        </span>
      ),
    }),
    helper.accessor("reportCount", { header: () => <span className="block text-right">Stores</span>, cell: (c) => <span className="tabular block text-right">{c.getValue()}</span> }),
    helper.accessor("retailers", { header: "Retailers", cell: (c) => <span className="text-xs">{c.getValue().join(", ")}</span> }),
    helper.accessor("upliftSum", {
      header: () => <span className="block text-right">Uplift</span>,
      cell: (c) => <span className="tabular block text-right">{c.getValue() === null ? <span className="italic text-zinc-400">missing</span> : Math.round(c.getValue()!).toLocaleString("en-US")}</span>,
    }),
    helper.accessor("windowStart", { header: "Started", cell: (c) => <Time value={c.getValue()} missing="missing" className="tabular whitespace-nowrap text-xs text-zinc-500" /> }),
  ]);

/** The events list (TanStack Table; filters and the as-of instant live in the URL). j / k move, Enter opens. */
export function EventsTable({ rows, asOf }: { rows: EventListRow[]; asOf: string | null }) {
  const [cols] = useState(() => columns(asOf));
  const table = useTable({ features, columns: cols, data: rows, getRowId: (r) => r.eventId });
  const [active, setActive] = useState(0);
  const router = useRouter();
  const ref = useRef<HTMLTableElement>(null);
  useEffect(() => {
    ref.current?.setAttribute("data-keyboard", "on");
    return tinykeys(window, {
      j: (e) => !isTyping(e) && setActive((i) => Math.min(i + 1, rows.length - 1)),
      k: (e) => !isTyping(e) && setActive((i) => Math.max(i - 1, 0)),
      Enter: (e) => {
        if (isTyping(e) || (e.target instanceof HTMLElement && e.target.tagName === "A")) return;
        const row = rows[active];
        if (row) router.push(eventHref(row.eventId, asOf));
      },
    });
  }, [rows, active, router, asOf]);
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table ref={ref} aria-label="Minority events" className="w-full text-left text-sm">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col" className="whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
                  {h.isPlaceholder ? null : <table.FlexRender header={h} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row, i) => (
            <tr
              key={row.id}
              data-testid={`event-row-${row.original.reportGroupId}`}
              aria-selected={i === active}
              onClick={() => setActive(i)}
              onDoubleClick={() => router.push(eventHref(row.id, asOf))}
              className={cn(i === active ? "bg-sky-50 dark:bg-sky-950/50" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40")}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="h-9 border-b border-zinc-100 px-3 py-1.5 align-middle dark:border-zinc-800/70">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <kbd className="font-mono">j</kbd>/<kbd className="font-mono">k</kbd> move · <kbd className="font-mono">Enter</kbd> opens the event
      </p>
    </div>
  );
}
