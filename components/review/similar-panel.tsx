import Link from "next/link";
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
        <table className="w-full text-sm">
          <caption className="sr-only">The five closest decided records by log spend distance</caption>
          <thead>
            <tr className="text-left text-xs text-zinc-500">
              <th className="py-1 pr-3 font-medium">record</th>
              <th className="py-1 pr-3 text-right font-medium">distance</th>
              <th className="py-1 pr-3 font-medium">outcome</th>
              <th className="py-1 text-right font-medium">decided</th>
            </tr>
          </thead>
          <tbody>
            {similar.map((s) => (
              <tr key={s.recordId} className="border-t border-zinc-100 dark:border-zinc-800">
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-2 text-xs text-zinc-500">Distance: Euclidean on log(1 + spend); channels missing on either side are skipped and the rest scaled up.</p>
    </Panel>
  );
}
