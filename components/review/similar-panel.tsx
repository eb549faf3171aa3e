import Link from "next/link";
import { DetailRow, DetailTable } from "@/components/layout/detail-table";
import { Panel } from "@/components/layout/panel";
import { Time } from "@/components/ui/time";
import type { SimilarDecided } from "@/lib/data/decisions";
import { OutcomeBadge } from "./outcome";

/** The closest already-decided records of the same cluster, with their outcomes (amendments included). */
export function SimilarPanel({ clusterId, similar }: { clusterId: string; similar: SimilarDecided[] }) {
  return (
    <Panel title="Similar decided records in this cluster">
      {similar.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No record of cluster <span className="font-mono text-xs whitespace-nowrap">{clusterId}</span> has been decided yet.
        </p>
      ) : (
        <DetailTable caption="The five closest decided records by log spend distance" columns={[{ label: "record" }, { label: "distance", align: "right" }, { label: "outcome" }, { label: "decided", align: "right" }]}>
            {similar.map((s) => (
              <DetailRow key={s.recordId}>
                <td className="py-1.5 pr-3">
                  <Link href={`/queue/${encodeURIComponent(s.recordId)}`} className="font-mono text-xs whitespace-nowrap text-sky-700 hover:underline dark:text-sky-400">
                    {s.recordId}
                  </Link>
                </td>
                <td className="tabular py-1.5 pr-3 text-right">{s.distance.toFixed(2)}</td>
                <td className="py-1.5 pr-3">
                  <OutcomeBadge action={s.action} label={s.decidedLabel} />
                </td>
                <td className="py-1.5 text-right text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                  <Time value={s.decidedAt} />
                </td>
              </DetailRow>
            ))}
        </DetailTable>
      )}
      <p className="mt-2 text-xs text-zinc-500">Distance: Euclidean on log(1 + spend); channels missing on either side are skipped and the rest scaled up.</p>
    </Panel>
  );
}
