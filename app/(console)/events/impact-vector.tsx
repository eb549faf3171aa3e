import { Missing } from "@/components/layout/missing";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import type { ImpactVectorView } from "@/lib/mrs/impact";
import { IMPACT_VECTOR_LABELS } from "@/lib/mrs/taxonomy";

const amount = (v: number) => Math.round(v).toLocaleString("en-US");

/**
 * The impact vector (seed 004): the four parts of the commercial system, each marked as
 * distorted by this event's cause or not (a word beside the colour), with why, under the
 * size of what is at stake — the uplift over the baseline.
 */
export function ImpactVectorPanel({ impact, basis }: { impact: ImpactVectorView; basis: string }) {
  return (
    <Panel title="Impact vector">
      <p className="-mt-2 mb-2 text-xs text-zinc-500 dark:text-zinc-400">Read {basis}.</p>
      <p className="mb-2 text-sm" data-testid="impact-at-stake">
        <span className="text-zinc-500 dark:text-zinc-400">At stake: </span>
        {impact.uplift === null ? (
          <Missing />
        ) : (
          <span className="tabular">
            uplift <strong>{amount(impact.uplift)}</strong> over a baseline of {impact.baseline === null ? <Missing /> : amount(impact.baseline)}
            {impact.upliftShare === null ? null : ` (${impact.upliftShare >= 0 ? "+" : ""}${(impact.upliftShare * 100).toFixed(1)} %)`}
          </span>
        )}
      </p>
      {impact.undetermined ? <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">No cause is known yet: the vector can be read once one is decided.</p> : null}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Impact vector: which parts of the commercial system this cause distorts</caption>
        <thead>
          <tr className="text-xs text-zinc-500">
            <th className="py-1 pr-3 font-medium">Part of the system</th>
            <th className="py-1 text-right font-medium">Distorted</th>
          </tr>
        </thead>
        <tbody>
          {impact.rows.map((row) => (
            <tr key={row.vector} className="border-t border-zinc-100 dark:border-zinc-800">
              <th scope="row" className={`py-1.5 pr-3 text-left align-top font-normal ${row.distorted ? "" : "text-zinc-500 dark:text-zinc-400"}`}>
                <span title={IMPACT_VECTOR_LABELS[row.vector].meaning}>{IMPACT_VECTOR_LABELS[row.vector].label}</span>
                {row.why ? <span className="block text-xs text-zinc-600 dark:text-zinc-400">{row.why}</span> : null}
              </th>
              <td className="py-1.5 text-right align-top" data-testid={`impact-${row.vector}`}>
                {row.distorted ? <Badge tone="amber">distorted</Badge> : <span className="text-xs text-zinc-500 dark:text-zinc-400">no</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
