"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { columnHelper } from "@/components/data-table/features";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

/** One edit-log entry as the table shows it (the page resolves the subject's link and label). */
export interface LedgerRow {
  seq: string;
  hash: string;
  recordedAt: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** what the subject reads as: an event by its group id (MR-UK-001) when known */
  subjectLabel: string;
  subjectHref: string | null;
  by: string;
  reasonCode: string | null;
  reasonText: string | null;
  /** covered by the latest signed tree head, so its inclusion proof can be served */
  provable: boolean;
}

const ACTION_TONES: Record<string, BadgeTone> = { confirm: "green", override: "red", amend: "orange", release: "violet", note: "indigo", claim: "neutral" };
const helper = columnHelper<LedgerRow>();

const columns = helper.columns([
  helper.accessor("seq", { header: "#", meta: { className: "w-16 text-right" }, cell: (c) => <span className="tabular">{c.getValue()}</span> }),
  helper.accessor("recordedAt", {
    header: "Recorded (UTC)",
    meta: { className: "w-32 whitespace-nowrap" },
    cell: (c) => <Time value={c.getValue()} zone={false} className="tabular text-xs text-zinc-600 dark:text-zinc-400" />,
  }),
  helper.accessor("action", { header: "Action", meta: { className: "w-24" }, cell: (c) => <Badge tone={ACTION_TONES[c.getValue()] ?? "neutral"}>{c.getValue()}</Badge> }),
  helper.accessor("subjectLabel", {
    header: "Subject",
    meta: { className: "w-48 whitespace-nowrap" },
    cell: (c) => {
      const r = c.row.original;
      return (
        <span className="flex items-baseline gap-1 overflow-hidden" title={`${r.subjectType} ${r.subjectId}`}>
          <span className="shrink-0 text-xs text-zinc-500">{r.subjectType}</span>
          {r.subjectHref ? (
            <Link href={r.subjectHref} tabIndex={-1} className="truncate font-mono text-xs text-sky-700 hover:underline dark:text-sky-400">
              {r.subjectLabel}
            </Link>
          ) : (
            <span className="truncate font-mono text-xs">{r.subjectLabel}</span>
          )}
        </span>
      );
    },
  }),
  helper.accessor("by", { header: "By", meta: { className: "w-36 whitespace-nowrap" }, cell: (c) => <span className="block truncate" title={c.getValue()}>{c.getValue()}</span> }),
  helper.accessor("reasonText", {
    header: "Reason",
    cell: (c) => {
      const { reasonCode, reasonText } = c.row.original;
      if (!reasonCode && !reasonText) return <span className="text-xs text-zinc-400">—</span>;
      // The whole reason on demand: the row stays one line until opened.
      return (
        <details className="group text-zinc-700 dark:text-zinc-300">
          <summary className="cursor-pointer list-none truncate group-open:whitespace-normal">
            {reasonCode ? <span className="font-mono text-xs">{reasonCode} </span> : null}
            <span className="group-open:hidden">{reasonText}</span>
          </summary>
          {reasonText ? <p className="mt-1 text-sm whitespace-pre-wrap break-words">{reasonText}</p> : null}
        </details>
      );
    },
  }),
  helper.accessor("hash", {
    header: "Hash",
    meta: { className: "w-44 whitespace-nowrap" },
    cell: (c) => (
      <span className="flex items-baseline gap-2 whitespace-nowrap">
        <span className="font-mono text-xs" title={c.getValue()}>
          {c.getValue().slice(0, 8)}…
        </span>
        {/* The entry's RFC 9162 inclusion proof against the latest signed tree head, as JSON (docs/ledger.md). */}
        {c.row.original.provable ? (
          <a
            href={`/governance/ledger/proof/${c.row.original.seq}`}
            download
            tabIndex={-1}
            className="text-xs text-sky-700 hover:underline dark:text-sky-400"
            aria-label={`Get proof of entry ${c.row.original.seq}`}
            title="Download this entry's inclusion proof (RFC 9162) against the latest signed tree head"
          >
            Get proof
          </a>
        ) : (
          <span className="text-xs text-zinc-500 italic dark:text-zinc-400" title="Newer than the latest signed tree head: its proof is served once the next head is signed">
            not yet signed
          </span>
        )}
      </span>
    ),
  }),
]);

/** The edit log's entries table: its columns on the list kit; Enter opens the active entry's subject. */
export function LedgerTable({ rows }: { rows: LedgerRow[] }) {
  return (
    <DataTable
      label="Edit log entries"
      columns={columns}
      data={rows}
      rowId={(r) => r.seq}
      rowHref={(r) => r.subjectHref}
      opens="the subject"
      testIdPrefix="ledger-row"
    />
  );
}
