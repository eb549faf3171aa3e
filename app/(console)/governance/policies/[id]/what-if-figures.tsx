import Link from "next/link";
import type { ReactNode } from "react";
import { Fact, NUM, pct } from "@/components/governance/figures";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { WhatIfView } from "@/lib/data/what-if";
import type { RoutingQuality } from "@/lib/gating/routing-quality";
import type { FlippedRecord } from "@/lib/governance/what-if";
import { LINK, utc } from "../policy-parts";
import { RefreshWhileRunning } from "./what-if-form";

const scopeText = (w: WhatIfView) => ("days" in w.scope ? `the last ${w.scope.days} day${w.scope.days === 1 ? "" : "s"}` : `${w.scope.batchIds.length} chosen batch${w.scope.batchIds.length === 1 ? "" : "es"}`);
const signed = (n: number) => (n > 0 ? `+${n.toLocaleString("en")}` : n.toLocaleString("en"));

/** A stored what-if: its progress while it runs, then its figures (the same for every approver). */
export function WhatIfResult({ whatIf: w }: { whatIf: WhatIfView }) {
  const who = `${w.requestedBy.name ?? "unknown"} on ${utc(w.requestedAt)}`;
  if (w.status === "running") {
    const share = w.total ? w.done / w.total : 0;
    return (
      <div role="status" aria-label="What-if progress" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        <RefreshWhileRunning />
        <p>
          Re-gating {scopeText(w)} under both policies (asked by {who})…{" "}
          <span className="tabular font-medium">
            {w.total === null ? "reading the window" : `${w.done.toLocaleString("en")} of ${w.total.toLocaleString("en")} records`}
          </span>
        </p>
        <div className="h-2 w-full max-w-xl overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800">
          <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      </div>
    );
  }
  if (w.status === "failed") {
    return (
      <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
        The what-if over {scopeText(w)} (asked by {who}) failed: {w.error}. Run it again; if it fails again, tell the operator.
      </p>
    );
  }
  const f = w.figures!;
  const caption = `Re-gated ${f.records.toLocaleString("en")} records in ${f.batches.toLocaleString("en")} batch${f.batches === 1 ? "" : "es"} from ${scopeText(w)}, asked by ${who}, in ${w.seconds?.toFixed(1)} s.`;
  if (f.records === 0) {
    return (
      <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">
        No records were gated in {scopeText(w)} (asked by {who}): nothing to compare. Choose a longer window or name batches.
      </p>
    );
  }
  const auditShift = f.routes.proposed.audit - f.routes.base.audit;
  return (
    <div className="space-y-4" data-testid="what-if-figures">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{caption} Each batch is gated whole under each policy, hold test included.</p>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Fact
          label="Sent to audit under the proposal"
          value={f.routes.proposed.audit.toLocaleString("en")}
          hint={`${signed(auditShift)} against ${f.routes.base.audit.toLocaleString("en")} today (${pct(f.routes.base.audit / f.records)} → ${pct(f.routes.proposed.audit / f.records)})`}
        />
        <Fact label="Would flip to audit" value={f.flips.toAudit.toLocaleString("en")} hint="released today, audited under the proposal" />
        <Fact label="Would flip to auto" value={f.flips.toAuto.toLocaleString("en")} hint="audited today, released under the proposal" tone={f.flips.toAuto > 0 ? "bad" : undefined} />
        <Fact label="Canaries released" value={f.canariesReleased.length.toLocaleString("en")} hint={`canary matches ${f.canaries.base} → ${f.canaries.proposed}`} tone={f.canariesReleased.length > 0 ? "bad" : "good"} />
        <Fact label="Batches held" value={`${f.heldBatches.base} → ${f.heldBatches.proposed}`} hint={`of ${f.batches} batches`} />
      </div>

      <div className="grid gap-4 xl:grid-cols-2">
        <CompareTable
          label="Records by reason under each policy"
          head="Reason"
          rows={[
            ...f.byReason.map((r) => ({ key: r.code, label: <span className="font-mono text-xs">{r.code}</span>, base: r.base, proposed: r.proposed })),
            { key: "auto", label: <span className="font-medium">auto (no reason)</span>, base: f.routes.base.auto, proposed: f.routes.proposed.auto },
          ]}
        />
        <CompareTable label="Audit workload per day" head="Day (UTC)" rows={f.workload.map((d) => ({ key: d.day, label: <span className="tabular">{d.day}</span>, base: d.base, proposed: d.proposed }))} />
      </div>

      <QualityTable labelled={f.quality.labelled} base={f.quality.base} proposed={f.quality.proposed} />

      {f.canariesReleased.length > 0 ? <FlipTable label="Canaries the proposal would release" flips={f.canariesReleased} /> : null}
      {f.flips.toAudit + f.flips.toAuto > 0 ? (
        <FlipTables flips={f.flips.sample} total={f.flips.toAudit + f.flips.toAuto} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No record would change route{f.flips.reasonsChanged > 0 ? `; ${f.flips.reasonsChanged.toLocaleString("en")} would be audited for other reasons.` : "."}</p>
      )}
    </div>
  );
}

/** Counts under the active policy and the proposal, side by side with the change. */
function CompareTable({ label, head, rows }: { label: string; head: string; rows: readonly { key: string; label: ReactNode; base: number; proposed: number }[] }) {
  return (
    <Table label={label}>
      <thead>
        <tr>
          <Th>{head}</Th>
          <Th className="text-right">Active</Th>
          <Th className="text-right">Proposed</Th>
          <Th className="text-right">Change</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={`whatif-row-${r.key}`}>
            <Td>{r.label}</Td>
            <Td className={NUM}>{r.base.toLocaleString("en")}</Td>
            <Td className={NUM}>{r.proposed.toLocaleString("en")}</Td>
            <Td className={NUM}>{signed(r.proposed - r.base)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const QUALITY_ROWS: { label: string; value: (q: RoutingQuality) => string }[] = [
  { label: "Sent to audit", value: (q) => `${q.audited.toLocaleString("en")} (${pct(q.auditShare)})` },
  { label: "Model errors", value: (q) => q.errors.toLocaleString("en") },
  { label: "Error capture", value: (q) => `${pct(q.errorCapture)} (${q.caught.toLocaleString("en")} caught)` },
  { label: "Released error rate", value: (q) => `${pct(q.releasedErrorRate, 2)} (${q.releasedErrors} of ${q.released.toLocaleString("en")})` },
  { label: "… its 95 % upper bound", value: (q) => pct(q.releasedErrorUpper, 2) },
  { label: "Lift (capture ÷ audit share)", value: (q) => (q.lift === null ? "—" : q.lift.toFixed(2)) },
  { label: "Least-confident baseline, same audit share", value: (q) => pct(q.baseline.errorCapture) },
];

/** §11 on the window's labelled records under both policies. */
function QualityTable({ labelled, base, proposed }: { labelled: number; base: RoutingQuality | null; proposed: RoutingQuality | null }) {
  if (!base || !proposed) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No record of the window has a true label yet (an analyst decision or label feedback): error capture cannot be compared.</p>;
  return (
    <Table label={`Routing quality on the ${labelled.toLocaleString("en")} labelled records`}>
      <thead>
        <tr>
          <Th>On {labelled.toLocaleString("en")} labelled records</Th>
          <Th className="text-right">Active</Th>
          <Th className="text-right">Proposed</Th>
        </tr>
      </thead>
      <tbody>
        {QUALITY_ROWS.map((row) => (
          <tr key={row.label}>
            <Td>{row.label}</Td>
            <Td className={NUM}>{row.value(base)}</Td>
            <Td className={NUM}>{row.value(proposed)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** How many flipped records show before "show all". */
const FLIPS_SHOWN = 15;

/** The records that would change route: the first few, the rest of the stored sample behind a disclosure. */
function FlipTables({ flips, total }: { flips: readonly FlippedRecord[]; total: number }) {
  const stored = flips.length < total ? ` (the first ${flips.length} stored of ${total.toLocaleString("en")})` : "";
  if (flips.length <= FLIPS_SHOWN) return <FlipTable label={`Records that would change route${stored}`} flips={flips} />;
  return (
    <div className="space-y-2">
      <FlipTable label={`Records that would change route: the first ${FLIPS_SHOWN} of ${total.toLocaleString("en")}`} flips={flips.slice(0, FLIPS_SHOWN)} />
      <details className="group">
        <summary className={`${LINK} cursor-pointer text-sm`}>Show {flips.length - FLIPS_SHOWN} more{stored}</summary>
        <div className="mt-2">
          <FlipTable label="More records that would change route" flips={flips.slice(FLIPS_SHOWN)} />
        </div>
      </details>
    </div>
  );
}

function FlipTable({ label, flips }: { label: string; flips: readonly FlippedRecord[] }) {
  return (
    <Table label={label}>
      <thead>
        <tr>
          <Th>Record</Th>
          <Th>Batch</Th>
          <Th>Route</Th>
          <Th>Reasons now</Th>
          <Th>Reasons under the proposal</Th>
          <Th className="text-right">Fragility</Th>
        </tr>
      </thead>
      <tbody>
        {flips.map((r) => (
          <tr key={`${r.batchId}-${r.recordId}`}>
            <Td>
              <Link prefetch={false} className={`${LINK} font-mono text-xs`} href={`/queue/${encodeURIComponent(r.recordId)}`}>
                {r.recordId}
              </Link>
            </Td>
            <Td className="max-w-40 truncate font-mono text-xs" title={r.batchId}>
              {r.batchId}
            </Td>
            <Td className="whitespace-nowrap">
              <Badge tone={r.from === "audit" ? "amber" : "green"}>{r.from}</Badge> → <Badge tone={r.to === "audit" ? "amber" : "green"}>{r.to}</Badge>
            </Td>
            <Td className="font-mono text-xs">{r.reasonsBefore.join(", ") || "—"}</Td>
            <Td className="font-mono text-xs">{r.reasonsAfter.join(", ") || "—"}</Td>
            <Td className={NUM}>
              {r.fragilityBefore.toFixed(2)} → {r.fragilityAfter.toFixed(2)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
