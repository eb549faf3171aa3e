import { RecordInterval } from "@/components/charts/lazy-charts";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { Num, Percent } from "./record-values";

/**
 * The p10/p50/p90 interval against the policy snapshot's decision threshold, and the terms
 * behind it; beside the confidence, the estimated chance that the machine label is wrong
 * (gating spec §11), which orders the audit queue after canaries.
 */
export function IntervalPanel({
  p,
  threshold,
  errorEstimate,
  errorEstimator,
}: {
  p: GatingProvenance;
  threshold: number;
  /** the stored estimate (results gated before it existed were given one by the migration) */
  errorEstimate: number;
  errorEstimator: "model" | "auditPriority";
}) {
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
        {/* A long label with its note: it may wrap, the value stays whole on the right. */}
        <div className="flex items-baseline justify-between gap-4 border-b border-zinc-100 py-1.5 text-sm dark:border-zinc-800" data-testid="error-estimate">
          <dt className="min-w-0 text-zinc-500 dark:text-zinc-400">
            Estimated chance the machine label is wrong
            <span className="mt-0.5 block text-xs">
              Orders the audit queue (after canaries, highest first).{" "}
              {errorEstimator === "model" ? "Estimated from the model's own probability of the other label." : "Estimated by the policy's audit-priority model."}
            </span>
          </dt>
          <dd className="tabular shrink-0 text-right" title={`P(wrong) ${errorEstimate.toFixed(3)}`}>
            <Percent value={errorEstimate} />
          </dd>
        </div>
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
