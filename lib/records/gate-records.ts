/**
 * Gates a file's worth of validated records in consecutive batches and turns each result
 * into the `gate` CLI's output line. Batch ids are `<prefix>-<n>` (n from 1, six digits), so
 * they depend on position only: shuffling the rows with one batch changes only the order.
 */
import { gateBatch, REASON_CODES, type GatingResult, type PolicySnapshot, type ReasonCode, type ScoredRecord } from "@/lib/gating";

export interface GateRecordsOptions {
  readonly batchSize: number;
  /** ISO time written into provenance */
  readonly now: string;
  readonly batchPrefix: string;
}

export interface GateRunSummary {
  records: number;
  batches: number;
  heldBatches: number;
  auto: number;
  audit: number;
  fragile: number;
  /** records carrying each reason */
  reasons: Record<ReasonCode, number>;
}

/**
 * The output line of one record (field order fixed, so output is byte-stable): the result's
 * headline fields, then its full §9 provenance (with `writtenAt`, the CLI's --now).
 */
export function gateOutputLine(result: GatingResult): string {
  return JSON.stringify({
    recordId: result.recordId,
    batchId: result.batchId,
    route: result.route,
    decision: result.decision,
    fragile: result.fragile,
    fragilityScore: result.fragilityScore,
    flags: result.flags,
    reasons: result.reasons,
    p10: result.p10,
    p50: result.p50,
    p90: result.p90,
    confidence: result.confidence,
    pModel: result.pModel,
    pGlm: result.pGlm,
    scorerVersion: result.provenance.scorerVersion,
    policyId: result.policyId,
    policyHash: result.policyHash,
    provenance: result.provenance,
  });
}

function emptySummary(): GateRunSummary {
  return { records: 0, batches: 0, heldBatches: 0, auto: 0, audit: 0, fragile: 0, reasons: Object.fromEntries(REASON_CODES.map((code) => [code, 0])) as Record<ReasonCode, number> };
}

/** Gates `records` batch by batch, handing each batch's results to `onBatch` (not retained). */
export function gateRecords(
  records: readonly ScoredRecord[],
  policy: PolicySnapshot,
  options: GateRecordsOptions,
  onBatch: (results: readonly GatingResult[]) => void,
): GateRunSummary {
  const summary = emptySummary();
  for (let offset = 0; offset < records.length; offset += options.batchSize) {
    summary.batches += 1;
    const batchId = `${options.batchPrefix}-${String(summary.batches).padStart(6, "0")}`;
    const out = gateBatch(records.slice(offset, offset + options.batchSize), policy, { batchId, now: options.now });
    if (out.batch.held) summary.heldBatches += 1;
    for (const result of out.results) {
      summary.records += 1;
      if (result.route === "audit") summary.audit += 1;
      else summary.auto += 1;
      if (result.fragile) summary.fragile += 1;
      for (const reason of result.reasons) summary.reasons[reason.code] += 1;
    }
    onBatch(out.results);
  }
  return summary;
}
