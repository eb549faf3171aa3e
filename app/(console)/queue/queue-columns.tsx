import { Pause, RefreshCw } from "lucide-react";
import Link from "next/link";
import { IntervalBar } from "@/components/charts/interval-bar";
import { ListTable, type ListColumn } from "@/components/data-table/list-table";
import { SortHeader } from "@/components/data-table/sort-header";
import { Missing } from "@/components/layout/missing";
import { ReasonBadge } from "@/components/review/codes";
import { Percent } from "@/components/review/record-values";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { QueueItem } from "@/lib/data/queue";
import type { ReasonCode } from "@/lib/gating/reasons";
import { labelName } from "@/lib/validations/decision-labels";
import { QUEUE_SORTS, queueHref, type QueueSort, type QueueStatus } from "@/lib/validations/queue-view";
import { QueueSelectionBar } from "./queue-selection";

/** A record's page, remembering the queue view it was opened from (for `n` and after a decision). */
function recordHref(recordId: string, view: Record<string, string>): string {
  const query = new URLSearchParams(view).toString();
  return `/queue/${encodeURIComponent(recordId)}${query ? `?view=${encodeURIComponent(query)}` : ""}`;
}

/** An activation's re-gating changed this record's reasons: what they were, on hover (unchanged ones show nothing). */
function RegatedBadge({ item }: { item: QueueItem }) {
  const g = item.regated!;
  if (g.reasonCodes.join() === item.reasonCodes.join()) return null;
  return (
    <span data-testid="regated" className="shrink-0" title={`Re-gated by the policy activation in edit-log entry #${g.activationSeq}; under ${g.policyId} its reasons were: ${g.reasonCodes.join(", ") || "none"}`}>
      <RefreshCw aria-label="re-gated: reasons changed" className="size-3.5 text-indigo-600 dark:text-indigo-400" />
    </span>
  );
}

interface ViewState {
  sort: QueueSort;
  dir: "asc" | "desc";
  status: QueueStatus;
  view: Record<string, string>;
  common: ReasonCode[];
}

function sortHeader(label: string, sort: QueueSort, s: ViewState, align?: "right", title?: string) {
  const active = sort === s.sort;
  const nextDir = active ? (s.dir === "asc" ? "desc" : "asc") : QUEUE_SORTS[sort].defaultDir;
  return <SortHeader label={label} title={title} href={queueHref(s.view, { sort, dir: nextDir })} active={active} dir={s.dir} align={align} />;
}

/**
 * The reasons that tell this record apart (the first, a second on wide screens, then "+N"),
 * and those most rows of the page carry folded into "+ N common", named on hover.
 */
function Reasons({ codes, common }: { codes: ReasonCode[]; common: ReasonCode[] }) {
  const own = codes.filter((c) => !common.includes(c));
  const shared = codes.filter((c) => common.includes(c));
  return (
    <span className="flex items-center gap-1 whitespace-nowrap">
      {/* The distinguishing badge stays whole; the common tail gives way first. */}
      <span className="flex shrink-0 gap-1">
        {own[0] ? <ReasonBadge code={own[0]} /> : null}
        {own[1] ? (
          <span className="hidden min-[1600px]:inline-flex">
            <ReasonBadge code={own[1]} />
          </span>
        ) : null}
      </span>
      {own.length > 1 ? (
        <span className="tabular shrink-0 text-xs text-zinc-500 min-[1600px]:hidden" title={own.slice(1).join(", ")}>
          +{own.length - 1}
        </span>
      ) : null}
      {own.length > 2 ? (
        <span className="tabular hidden shrink-0 text-xs text-zinc-500 min-[1600px]:inline" title={own.slice(2).join(", ")}>
          +{own.length - 2}
        </span>
      ) : null}
      {shared.length > 0 ? (
        <span className="tabular min-w-0 truncate text-xs text-zinc-500 dark:text-zinc-400" title={`Common to most rows here: ${shared.join(", ")}`} data-testid="common-reasons">
          +{shared.length} common
        </span>
      ) : null}
      {codes.length === 0 ? <span className="text-xs text-zinc-400">none</span> : null}
    </span>
  );
}

/** Whole minutes a claim still runs (the page's render time; the exact time is on hover). */
function minutesLeft(until: string): number {
  return Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 60_000));
}

/** The queue's columns, rendered on the server (the browser gets their HTML, not their code). */
const columns = (s: ViewState): ListColumn<QueueItem>[] => [
    {
      id: "recordId",
      header: sortHeader("Record (triage)", "triage", s),
      className: "w-28 whitespace-nowrap",
      cell: (r) => (
        <Link href={recordHref(r.recordId, s.view)} title={r.recordId} className="block truncate font-mono text-sky-700 hover:underline dark:text-sky-400" tabIndex={-1} prefetch={false}>
          {r.recordId}
        </Link>
      ),
    },
    {
      id: "interval",
      // Below 1600 px the p50 figure gives way (it is on the bar's hover; P(wrong) says what it means for the label).
      header: (
        <span title="p10–p90 with p50; dashed: the decision threshold">
          Interval<span className="hidden min-[1600px]:inline">, p50</span>
        </span>
      ),
      className: "w-[5.5rem] min-[1600px]:w-32",
      cell: (r) => (
        <span className="flex items-center gap-2 whitespace-nowrap">
          <IntervalBar p10={r.p10} p50={r.p50} p90={r.p90} threshold={r.decisionThreshold} width={64} />
          <span className="tabular hidden text-xs text-zinc-500 min-[1600px]:inline dark:text-zinc-400">{r.p50.toFixed(3)}</span>
        </span>
      ),
    },
    {
      id: "confidence",
      header: sortHeader("Conf.", "confidence", s, "right", "Confidence"),
      className: "w-[4.5rem] text-right",
      cell: (r) => <span className="tabular">{r.confidence.toFixed(3)}</span>,
    },
    {
      id: "errorEstimate",
      header: sortHeader("P(wrong)", "error", s, "right", "Estimated chance the machine label is wrong: after canaries, the triage order puts the highest first"),
      className: "w-[5.5rem] text-right",
      cell: (r) => (
        <span className="tabular" title={`estimated P(machine label wrong) ${r.errorEstimate.toFixed(3)}`}>
          <Percent value={r.errorEstimate} />
        </span>
      ),
    },
    {
      id: "fragilityScore",
      // θ is the policy's, alike on most rows: below 1600 px it is on hover only.
      header: sortHeader("Fragility", "fragility", s, "right", "Fragility score / θ (fragile at or above θ)"),
      className: "w-28 text-right min-[1600px]:w-36",
      cell: (r) => (
        <span className="flex items-center justify-end gap-1.5 whitespace-nowrap">
          {r.fragile ? (
            <Badge tone="orange" title="Fragility score ≥ θ, or a canary">fragile</Badge>
          ) : (
            <Badge title="Not fragile: sent to audit because its confidence is below CS_ACCEPT (or its batch is held)">low conf.</Badge>
          )}
          <span className="tabular" title={`fragility score ${r.fragilityScore.toFixed(3)}, θ ${r.theta.toFixed(3)}`}>
            {r.fragilityScore.toFixed(2)}
            <span className="hidden text-xs text-zinc-400 min-[1600px]:inline">/{r.theta.toFixed(2)}</span>
          </span>
        </span>
      ),
    },
    {
      id: "reasonCodes",
      header: "Reasons",
      cell: (r) => (
        <span className="flex items-center gap-1">
          {r.regated ? <RegatedBadge item={r} /> : null}
          <Reasons codes={r.reasonCodes} common={s.common} />
        </span>
      ),
    },
    s.status === "decided"
      ? {
          id: "decision",
          header: "Decision",
          className: "w-28 whitespace-nowrap min-[1600px]:w-32",
          cell: ({ review: r }) =>
            r ? (
              <span className="flex items-center gap-1.5 overflow-hidden" title={`${r.action} by ${r.by ?? "unknown"}: ${labelName(r.label)}`}>
                <Badge tone={r.action === "confirm" ? "green" : r.action === "amend" ? "violet" : "red"}>{r.action === "amend" ? "amended" : r.action}</Badge>
                <span className="truncate text-xs">{r.by ?? "unknown"}</span>
              </span>
            ) : null,
        }
      : {
          id: "claim",
          header: "Claimed by",
          // Narrower below 1600 px, like the decision: the name shortens first, the minutes stay.
          className: "w-28 whitespace-nowrap min-[1600px]:w-32",
          // The name, then how long the claim still runs (the exact time on hover).
          cell: ({ claim }) =>
            claim ? (
              <span className="flex items-baseline gap-1 overflow-hidden text-xs" data-testid="claimed-by" title={`${claim.name ?? "Someone"} holds it until ${claim.until.slice(0, 16).replace("T", " ")} UTC`}>
                <span className="truncate font-medium">{claim.name ?? "someone"}</span>
                <span className="tabular shrink-0 text-zinc-500">{minutesLeft(claim.until)} min</span>
              </span>
            ) : (
              <span className="text-xs text-zinc-400">—</span>
            ),
        },
    {
      id: "clusterId",
      header: "Cluster",
      // Shown where there is room (the cluster filter works everywhere).
      className: "hidden w-32 whitespace-nowrap min-[1400px]:table-cell",
      cell: (r) => (
        <span className="block truncate text-xs" title={r.clusterId}>
          {r.clusterId || <Missing />}
        </span>
      ),
    },
    {
      id: "batchId",
      header: "Batch",
      className: "w-28 whitespace-nowrap",
      cell: (r) => (
        <span className="flex items-center gap-1 overflow-hidden text-xs" title={`batch ${r.batchId}${r.batchHeld ? " (held: every record waits for a human)" : ""}`}>
          <span className="truncate font-mono">{r.batchId}</span>
          {r.batchHeld ? <Pause aria-label="held" className="size-3 shrink-0 text-violet-600 dark:text-violet-400" /> : null}
        </span>
      ),
    },
    {
      id: "createdAt",
      header: sortHeader("Received (UTC)", "age", s, undefined, "order by age: when the record arrived"),
      className: "w-32 whitespace-nowrap",
      cell: (r) => <Time value={r.createdAt} zone={false} className="tabular text-xs text-zinc-500" />,
    },
  ];

const FILTER_SHORTCUT = [{ key: "/", label: "jump to the filters", focus: "f-status" }];

/**
 * The audit queue's table on the list kit, rendered on the server: the browser hydrates only
 * the keyboard, the selection boxes and, for leads, the bulk-confirm bar.
 */
export function QueueTable({ items, canBulk, resetKey, ...state }: ViewState & { items: QueueItem[]; canBulk: boolean; resetKey: string }) {
  const view = state.view;
  return (
    <ListTable
      label="Audit queue"
      columns={columns(state)}
      data={items}
      rowId={(r) => r.recordId}
      rowHref={(r) => recordHref(r.recordId, view)}
      opens="the record"
      testIdPrefix="queue-row"
      shortcuts={FILTER_SHORTCUT}
      resetKey={resetKey}
      selectionBar={
        canBulk && state.status !== "decided" ? (
          <QueueSelectionBar
            hint={
              <>
                Select rows with <kbd className="font-mono">x</kbd> or the boxes to confirm several machine labels at once.
              </>
            }
            items={items.map((i) => ({ recordId: i.recordId, version: i.version, ledgerVersion: i.ledgerVersion, decision: i.decision }))}
          />
        ) : undefined
      }
    />
  );
}
