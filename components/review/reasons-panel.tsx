import { Panel } from "@/components/layout/panel";
import type { GatingProvenance } from "@/lib/gating";
import { describeReasonDetail } from "@/lib/gating/explain";
import { REASON_EXPLANATIONS } from "@/lib/gating/reasons";
import { ReasonBadge } from "./codes";

/** Why the record was routed where it was: each reason with its measured value against its threshold. */
export function ReasonsPanel({ p }: { p: GatingProvenance }) {
  return (
    <Panel title={`Why it is routed to ${p.route}`}>
      {p.reasons.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Every check passed.</p>
      ) : (
        <ul className="space-y-2">
          {p.reasons.map((r) => (
            <li key={r.code} className="text-sm">
              <ReasonBadge code={r.code} />
              <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">{REASON_EXPLANATIONS[r.code]}</p>
              <p className="tabular text-xs text-zinc-500 dark:text-zinc-400">{describeReasonDetail(r)}</p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
