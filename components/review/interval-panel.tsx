import { RecordInterval } from "@/components/charts/lazy-charts";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { Num } from "./record-values";

/** The p10/p50/p90 interval against the policy snapshot's decision threshold, and the terms behind it. */
export function IntervalPanel({ p, threshold }: { p: GatingProvenance; threshold: number }) {
  return (
    <Panel title="Interval">
      <RecordInterval p10={p.p10} p50={p.p50} p90={p.p90} threshold={threshold} />
      <dl className="mt-3">
        <Row label="p10 · p50 · p90">
          <Num value={p.p10} /> · <Num value={p.p50} /> · <Num value={p.p90} />
        </Row>
        <Row label="decision threshold (policy)">{threshold}</Row>
        <Row label="confidence (pessimistic bound)">
          <Num value={p.confidence} />
        </Row>
        <Row label="pModel · pGlm">
          <Num value={p.pModel} /> · <Num value={p.pGlm} />
        </Row>
        <Row label="ensemble agreement">
          {p.ensembleAgreement === null ? <Num value={null} /> : `${(p.ensembleAgreement * 100).toFixed(1)} %`}
        </Row>
        <Row label="logit variance (combined)">
          <Num value={p.varCombined} />
        </Row>
      </dl>
    </Panel>
  );
}
