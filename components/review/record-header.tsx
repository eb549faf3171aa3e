import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { RecordOutcome } from "@/lib/data/decisions";
import type { GatingProvenance } from "@/lib/gating";
import { labelName } from "@/lib/validations/decision-labels";
import { OutcomeBadge } from "./outcome";

/**
 * The record's header: its id, and what became of it — the human outcome once decided
 * (confirmed / overridden / amended, by whom, when), else the route the gate chose.
 */
export function RecordHeader({
  recordId,
  p,
  version,
  createdAt,
  batchHeld,
  outcome,
}: {
  recordId: string;
  p: GatingProvenance;
  version: number;
  createdAt: string;
  batchHeld: boolean;
  outcome: RecordOutcome | null;
}) {
  return (
    <header className="space-y-1 border-b border-zinc-200 pb-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold whitespace-nowrap text-zinc-900 dark:text-zinc-50">{recordId}</h1>
        <span data-testid="record-outcome" className="inline-flex items-center gap-2">
          {outcome ? <OutcomeBadge action={outcome.action} label={outcome.label} /> : <Badge tone={p.route === "audit" ? "amber" : "green"}>{p.route === "audit" ? "audit · open" : "auto-released"}</Badge>}
        </span>
        {p.fragile ? <Badge tone="orange">fragile</Badge> : null}
        {p.canaryMatches.length > 0 ? <Badge tone="red">canary</Badge> : null}
        {batchHeld ? <Badge tone="violet">batch held</Badge> : null}
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {outcome ? (
          <>
            {outcome.action === "amend" ? "Amended" : outcome.action === "confirm" ? "Confirmed" : "Overridden"} by{" "}
            <strong className="font-medium text-zinc-900 dark:text-zinc-100">{outcome.by ?? "someone"}</strong> <Time value={outcome.at} /> (entry #{outcome.seq}) ·{" "}
          </>
        ) : null}
        routed to {p.route} · machine decision <strong className="font-medium text-zinc-900 dark:text-zinc-100">{labelName(p.decision)}</strong> · result v{version} · scored <Time value={createdAt} />
      </p>
    </header>
  );
}
