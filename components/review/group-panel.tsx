import Link from "next/link";
import { DetailRow, DetailTable } from "@/components/layout/detail-table";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import type { GroupMember } from "@/lib/data/results";
import { labelName } from "@/lib/validations/decision-labels";
import { OutcomeBadge } from "./outcome";
import { ContextValue } from "./passenger-panel";

/** The other passengers of the record's group: their routes, machine labels and human outcomes, linked. */
export function GroupPanel({ groupId, members, className }: { groupId: string | null; members: GroupMember[]; className?: string }) {
  return (
    <Panel title="Travelling group" className={className} aside={groupId === null ? null : <span className="font-mono whitespace-nowrap">group {groupId}</span>}>
      {members.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{groupId === null ? "The record id names no group." : "Travelling alone: no other record of this group."}</p>
      ) : (
        <DetailTable caption={`Other records of passenger group ${groupId}`} columns={[{ label: "record" }, { label: "cabin" }, { label: "route" }, { label: "machine" }, { label: "outcome" }]}>
            {members.map((m) => (
              <DetailRow key={m.recordId}>
                <td className="py-1.5 pr-3">
                  <Link href={`/queue/${encodeURIComponent(m.recordId)}`} className="font-mono text-xs whitespace-nowrap text-sky-700 hover:underline dark:text-sky-400">
                    {m.recordId}
                  </Link>
                </td>
                <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">
                  <ContextValue value={m.context.Cabin} />
                </td>
                <td className="py-1.5 pr-3">
                  <Badge tone={m.route === "audit" ? "amber" : "green"}>{m.route}</Badge>
                </td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{labelName(m.decision)}</td>
                <td className="py-1.5">{m.outcome ? <OutcomeBadge action={m.outcome.action} label={m.outcome.label} /> : <span className="text-xs text-zinc-500">{m.route === "audit" ? "open" : "released"}</span>}</td>
              </DetailRow>
            ))}
        </DetailTable>
      )}
    </Panel>
  );
}
