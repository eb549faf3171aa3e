"use client";

import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { columnHelper } from "@/components/data-table/features";
import { SortHeader } from "@/components/data-table/sort-header";
import { Missing } from "@/components/layout/missing";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import type { EventListRow } from "@/lib/mrs/event-list";
import { CAUSE_CATEGORY_LABELS, type ConfidenceTier, type Priority } from "@/lib/mrs/taxonomy";
import type { EventSort } from "./search-params";

const helper = columnHelper<EventListRow>();
const PRIORITY_TONE: Record<Priority, BadgeTone> = { high: "red", medium: "amber", low: "neutral" };
const TIER_CLASS: Record<ConfidenceTier, string> = {
  high: "bg-indigo-600 text-white ring-indigo-600",
  medium: "bg-indigo-100 text-indigo-800 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-200",
  low: "bg-transparent text-indigo-700 ring-indigo-300 dark:text-indigo-300",
};

function eventHref(id: string, asOf: string | null) {
  return `/events/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ""}`;
}

/** The order links of the sortable headers (the page builds them from its URL state). */
export interface EventSortLinks {
  current: EventSort;
  dir: "asc" | "desc";
  hrefs: Record<EventSort, string>;
}

function sortHeader(label: string, sort: EventSort, s: EventSortLinks, align?: "right") {
  return <SortHeader label={label} href={s.hrefs[sort]} active={s.current === sort} dir={s.dir} align={align} />;
}

const columns = (asOf: string | null, s: EventSortLinks) =>
  helper.columns([
    helper.accessor("reportGroupId", {
      header: "Event",
      meta: { className: "w-28 whitespace-nowrap" },
      cell: (c) => (
        <Link href={eventHref(c.row.original.eventId, asOf)} title={c.getValue()} className="block truncate font-mono text-sky-700 hover:underline dark:text-sky-400" tabIndex={-1}>
          {c.getValue()}
        </Link>
      ),
    }),
    helper.accessor("priority", { header: () => sortHeader("Priority", "priority", s), meta: { className: "w-20" }, cell: (c) => <Badge tone={PRIORITY_TONE[c.getValue()]}>{c.getValue()}</Badge> }),
    helper.accessor("causeLabel", {
      header: "Cause",
      cell: (c) => (
        <span className="block truncate" title={c.getValue() ?? CAUSE_CATEGORY_LABELS[c.row.original.causeCategory].label}>
          <span className="font-medium">{c.getValue() ?? CAUSE_CATEGORY_LABELS[c.row.original.causeCategory].label}</span>{" "}
          <span className="text-xs text-zinc-500">
            {CAUSE_CATEGORY_LABELS[c.row.original.causeCategory].label}
            {c.row.original.causeSource === "analyst" ? " · analyst" : ""}
          </span>
        </span>
      ),
    }),
    helper.accessor("confidence", {
      header: () => sortHeader("Confidence", "confidence", s, "right"),
      meta: { className: "w-32 text-right" },
      cell: (c) => {
        const tier = c.row.original.tier;
        return (
          <span className="flex items-center justify-end gap-2">
            <span className="tabular">{c.getValue() === null ? <Missing /> : c.getValue()!.toFixed(2)}</span>
            {tier ? <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", TIER_CLASS[tier])}>{tier}</span> : null}
          </span>
        );
      },
    }),
    helper.accessor("status", {
      header: "Status",
      meta: { className: "w-36" },
      cell: (c) => (
        <span className="flex items-center gap-1 whitespace-nowrap">
          <Badge tone={c.getValue().startsWith("finalised") ? "green" : c.getValue().startsWith("decided") ? "indigo" : "amber"}>{c.getValue().replace(":degraded", "")}</Badge>
          {c.row.original.degraded ? <span className="rounded border border-dashed border-zinc-400 px-1.5 py-0.5 text-xs text-zinc-600 dark:text-zinc-300">degraded</span> : null}
          {c.row.original.autoConfirmed ? <span className="text-xs text-zinc-500">auto</span> : null}
        </span>
      ),
    }),
    helper.accessor("reportCount", { header: () => sortHeader("Stores", "stores", s, "right"), meta: { className: "w-20 text-right" }, cell: (c) => <span className="tabular">{c.getValue()}</span> }),
    helper.accessor("retailers", {
      header: "Retailers",
      meta: { className: "w-24" },
      cell: (c) => (
        <span className="block truncate text-xs" title={c.getValue().join(", ")}>
          {c.getValue().join(", ")}
        </span>
      ),
    }),
    helper.accessor("upliftSum", {
      header: () => sortHeader("Uplift", "uplift", s, "right"),
      meta: { className: "w-[5.5rem] text-right" },
      cell: (c) => <span className="tabular">{c.getValue() === null ? <Missing /> : Math.round(c.getValue()!).toLocaleString("en-US")}</span>,
    }),
    helper.accessor("windowStart", {
      header: () => sortHeader("Started (UTC)", "started", s),
      meta: { className: "w-32 whitespace-nowrap" },
      cell: (c) => <Time value={c.getValue()} zone={false} missing="missing" className="tabular text-xs text-zinc-500" />,
    }),
  ]);

/** The events list's table: its columns on the list kit; Enter opens the event (at the replayed instant). */
export function EventsTable({ rows, asOf, sort }: { rows: EventListRow[]; asOf: string | null; sort: EventSortLinks }) {
  const cols = useMemo(() => columns(asOf, sort), [asOf, sort]);
  return (
    <DataTable
      label="Minority events"
      columns={cols}
      data={rows}
      // a group id names exactly one event (the event id is its hash)
      rowId={(r) => r.reportGroupId}
      rowHref={(r) => eventHref(r.eventId, asOf)}
      opens="the event"
      testIdPrefix="event-row"
    />
  );
}
