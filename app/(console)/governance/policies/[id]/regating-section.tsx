import Link from "next/link";
import { Fact, FigureSection, NUM } from "@/components/governance/figures";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { RegatedRecord, RegatingView } from "@/lib/data/regating";
import { LINK, utc } from "../policy-parts";
import { RefreshWhileRunning } from "./what-if-form";

const STATUS_TEXT: Record<RegatingView["status"], string> = { running: "running", done: "done", superseded: "taken over by a later activation" };

/** The queue's re-gating after this snapshot's latest activation, and the records whose route or reasons it changed. */
export function RegatingSection({ run, changed }: { run: RegatingView; changed: readonly RegatedRecord[] }) {
  return (
    <FigureSection
      title="Queue re-gated on activation"
      actions={
        run.changed > 0 ? (
          <Link prefetch={false} className={`${LINK} text-sm`} href="/queue?kind=regated">
            Open the changed records in the queue
          </Link>
        ) : null
      }
      note={`Activation #${run.activationSeq} on ${utc(run.startedAt)}: every queued, undecided record gated by another policy was gated again under this one, as a new result version with the activation as its cause. Records now routed auto left the queue; decided records and held batches were not touched.`}
    >
      {run.status === "running" ? <RefreshWhileRunning /> : null}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Fact label="Status" value={<Badge tone={run.status === "running" ? "amber" : "green"}>{STATUS_TEXT[run.status]}</Badge>} hint={run.finishedAt ? `finished ${utc(run.finishedAt)}` : undefined} />
        <Fact label="Re-gated" value={`${run.done.toLocaleString("en")} of ${run.total.toLocaleString("en")}`} hint="queued records when it was activated" />
        <Fact label="Route or reasons changed" value={run.changed.toLocaleString("en")} />
        <Fact label="Left the queue (now auto)" value={run.leftQueue.toLocaleString("en")} />
      </div>
      {changed.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No re-gated record changed route or reasons.</p>
      ) : (
        <Table label={`Records the re-gating changed${changed.length < run.changed ? ` (the latest ${changed.length})` : ""}`}>
          <thead>
            <tr>
              <Th>Record</Th>
              <Th>Route</Th>
              <Th>Reasons before</Th>
              <Th>Reasons now</Th>
              <Th className="text-right">Version</Th>
            </tr>
          </thead>
          <tbody>
            {changed.map((r) => (
              <tr key={`${r.recordId}-${r.version}`} data-testid={`regated-${r.recordId}`}>
                <Td>
                  <Link prefetch={false} className={`${LINK} font-mono text-xs`} href={`/queue/${encodeURIComponent(r.recordId)}`}>
                    {r.recordId}
                  </Link>
                </Td>
                <Td className="whitespace-nowrap">
                  <Badge tone={r.from.route === "audit" ? "amber" : "green"}>{r.from.route}</Badge> → <Badge tone={r.to.route === "audit" ? "amber" : "green"}>{r.to.route}</Badge>
                  {r.decided ? <span className="ml-2 text-xs text-zinc-500">decided since</span> : null}
                </Td>
                <Td className="font-mono text-xs">{r.from.reasons.join(", ") || "—"}</Td>
                <Td className="font-mono text-xs">{r.to.reasons.join(", ") || "—"}</Td>
                <Td className={NUM}>
                  v{r.version - 1} → v{r.version}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </FigureSection>
  );
}
