"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { columnHelper } from "@/components/data-table/features";
import type { ModelCardSummary } from "@/lib/data/model-cards";
import { CardStatusBadge, GateBadge, metric, MetricChange, TASK_LABELS } from "./model-parts";

const helper = columnHelper<ModelCardSummary>();

const columns = helper.columns([
  helper.accessor("model", {
    header: "Model",
    cell: (c) => {
      const r = c.row.original;
      return (
        <span className="flex flex-col overflow-hidden">
          <Link href={`/models/${r.id}`} tabIndex={-1} title={r.displayName ?? r.model} className="truncate font-medium text-sky-700 hover:underline dark:text-sky-400">
            {r.displayName ?? r.model}
          </Link>
          <span className="truncate font-mono text-xs text-zinc-500">{r.model}</span>
        </span>
      );
    },
  }),
  helper.accessor("version", { header: "Version", meta: { className: "w-24" }, cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
  helper.accessor("status", { header: "Status", meta: { className: "w-24" }, cell: (c) => <CardStatusBadge status={c.getValue()} /> }),
  helper.accessor("gauntlet", { header: "Gauntlet", meta: { className: "w-24" }, cell: (c) => <GateBadge result={c.getValue()} /> }),
  helper.accessor("task", { header: "Task", meta: { className: "w-36" }, cell: (c) => <span className="whitespace-nowrap text-zinc-700 dark:text-zinc-300">{TASK_LABELS[c.getValue()]}</span> }),
  helper.accessor("domain", { header: "Domain", meta: { className: "w-24" }, cell: (c) => <span className="block truncate">{c.getValue()}</span> }),
  helper.accessor("headline", {
    header: "Headline metric",
    meta: { className: "w-52 text-right" },
    cell: (c) => {
      const { headline, previous } = c.row.original;
      return (
        <span className="flex flex-col items-end">
          <span className="tabular">
            <span className="text-xs text-zinc-500">{headline.name}</span> {metric(headline.value)}
            {headline.synthesised ? <span className="ml-1 text-xs text-amber-800 dark:text-amber-300" title="The source gives no figure: synthesised for display">(synthesised)</span> : null}
          </span>
          {previous ? <MetricChange change={previous.change} higherIsBetter={headline.higherIsBetter} version={previous.version} /> : <span className="text-xs text-zinc-400 italic">first version</span>}
        </span>
      );
    },
  }),
  helper.accessor("trainingCutoff", {
    header: "Cutoff",
    meta: { className: "w-24 whitespace-nowrap" },
    cell: (c) => (c.getValue() ? <span className="tabular text-xs">{c.getValue()}</span> : <span className="text-xs text-zinc-400 italic">missing</span>),
  }),
]);

/** The registry's table on the list kit: Enter opens the card. */
export function ModelTable({ rows }: { rows: ModelCardSummary[] }) {
  return <DataTable label="Model cards" columns={columns} data={rows} rowId={(r) => r.id} rowHref={(r) => `/models/${r.id}`} opens="the card" testIdPrefix="model-row" />;
}
