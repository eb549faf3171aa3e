import Link from "next/link";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { Id } from "./record-values";

/** Which policy snapshot, scorer and gating core produced the result, its batch, and a hold it kept from an earlier batch. */
export function ProvenancePanel({ p, batchId, className }: { p: GatingProvenance; batchId: string; className?: string }) {
  return (
    <Panel title="Provenance" className={className}>
      <dl className="grid gap-x-6 md:grid-cols-2">
        <Row label="policy snapshot">
          <Id>{p.policy.id}</Id>
        </Row>
        <Row label="policy hash">
          <span title={p.policy.hash}>
            <Id>{`${p.policy.hash.slice(0, 16)}…`}</Id>
          </span>
        </Row>
        <Row label="scorer version">
          <Id>{p.scorerVersion}</Id>
        </Row>
        <Row label="gating core version">
          <Id>{p.gatingCoreVersion}</Id>
        </Row>
        <Row label="batch">
          <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/queue?batch=${encodeURIComponent(batchId)}`}>
            <Id>{batchId}</Id>
          </Link>{" "}
          <span className="text-xs whitespace-nowrap text-zinc-500">
            ({p.batch.fragileCount}/{p.batch.size} fragile{p.batch.held ? ", held" : ""})
          </span>
        </Row>
        {/* Results written before gating core 1.1.0 have no inheritedHold. */}
        {p.inheritedHold ? (
          <Row label="hold kept from">
            <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/queue?batch=${encodeURIComponent(p.inheritedHold.batchId)}`}>
              <Id>{p.inheritedHold.batchId}</Id>
            </Link>{" "}
            <span className="text-xs whitespace-nowrap text-zinc-500">
              ({p.inheritedHold.fragileCount}/{p.inheritedHold.size} fragile, held when this result was written)
            </span>
          </Row>
        ) : null}
      </dl>
    </Panel>
  );
}
