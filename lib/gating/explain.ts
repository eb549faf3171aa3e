/**
 * A result in plain words for the record page: one line per fact an analyst needs —
 * route, decision and interval, why it is (not) fragile, each flag and each reason with
 * its value against its threshold, the cluster prior, the variance terms and the batch.
 * Imports only types and the vocabularies, so client components may use it.
 */
import type { GatingResult } from "./gate-batch";
import type { VarComponent } from "./interval";
import { formatNumber as f } from "./numeric";
import { FLAG_MEANINGS, REASON_EXPLANATIONS } from "./reasons";
import type { GatingReason } from "./routing";

const pct = (x: number) => `${f(x * 100, 1)} %`;

const GATE_NAMES = { smallBatchFragile: "small-batch fragile gate", fragile: "fragile gate", accept: "bar for non-fragile records" } as const;

/** The measured value against its bar, for one reason. */
export function describeReasonDetail(r: GatingReason): string {
  switch (r.code) {
    case "CANARY":
      return `matched ${r.value.join(", ")}`;
    case "BATCH_HOLD": {
      const figures = `${r.fragileCount} of ${r.batchSize} fragile (${pct(r.value)} ≥ ${pct(r.threshold)}), P(X ≥ ${r.fragileCount}) = ${f(r.pValue, 4)} < α ${f(r.alpha)}`;
      // Results written before gating core 1.1.0 carry neither field.
      return r.inherited === true ? `kept from held batch ${r.heldBatchId} (an earlier result of this record): ${figures}` : figures;
    }
    case "SINGLETON_FRAGILE":
      return `batch of 1; fragility score ${f(r.fragilityScore)} (θ ${f(r.theta)})`;
    case "CAPS_TRIGGERED":
      return `|contribution| of ${r.channel ?? "a channel"} = ${f(r.value)} > cap ${f(r.threshold)}`;
    case "CAPS_SCALING":
      return `capping removed ${pct(r.value)} of the channel evidence (> ${pct(r.threshold)})`;
    case "CONTRIBUTIONS_MISSING":
      return "no logitContributions sent";
    case "GLM_MISSING":
      return `no pGlm sent and no GLM in the policy (needed: |pModel − pGlm| ≤ ${f(r.threshold)})`;
    case "GLM_DISAGREE":
      return `|pModel − pGlm| = ${f(r.value)} > δ ${f(r.threshold)}`;
    case "ENSEMBLE_MISSING":
      return `no ensemble sent (needed: agreement ≥ ${f(r.threshold)})`;
    case "ENSEMBLE_DISAGREE":
      return `agreement ${f(r.value)} < A ${f(r.threshold)}`;
    case "INTERVAL_WIDE":
      return `p90 − p10 = ${f(r.value)} > QW ${f(r.threshold)}`;
    case "LOW_CONFIDENCE":
      return `confidence ${f(r.value)} < ${r.gates === "accept" ? "CS_ACCEPT" : "CS"} ${f(r.threshold)} (${GATE_NAMES[r.gates]})`;
  }
}

function describeVarComponent(c: VarComponent): string {
  switch (c.term) {
    case "varBase":
      return `${f(c.value)} base (${c.source === "upstream" ? "from the model" : "from the policy"})`;
    case "impute":
      return `${f(c.value)} for ${c.count} missing spend channel${c.count === 1 ? "" : "s"}`;
    case "missingContext":
      return `${f(c.value)} for ${c.count} missing context field${c.count === 1 ? "" : "s"}`;
    case "flag":
      return `${f(c.value)} for ${c.flag}`;
  }
}

export function explainResult(result: GatingResult): string[] {
  const p = result.provenance;
  const lines: string[] = [];
  lines.push(
    result.route === "auto"
      ? "Route: auto — every applicable check passed."
      : `Route: audit — ${result.reasons.length} reason${result.reasons.length === 1 ? "" : "s"}.`,
  );
  lines.push(`Decision the machine would release: ${result.decision ? "positive" : "negative"} (p50 ${f(result.p50)}).`);
  lines.push(
    `Interval: p10 ${f(result.p10)} · p50 ${f(result.p50)} · p90 ${f(result.p90)} (width ${f(result.predictiveWidth)}); confidence ${f(result.confidence)}.`,
  );
  if (p.canaryMatches.length > 0) {
    lines.push(`Fragile: yes — registered canary (${p.canaryMatches.join(", ")}); fragility score ${f(result.fragilityScore)}, θ ${f(p.theta)}.`);
  } else if (result.fragile) {
    lines.push(`Fragile: yes — fragility score ${f(result.fragilityScore)} ≥ θ ${f(p.theta)}.`);
  } else {
    lines.push(`Fragile: no — fragility score ${f(result.fragilityScore)} < θ ${f(p.theta)}.`);
  }
  if (result.flags.length === 0) lines.push("Flags: none.");
  for (const flag of result.flags) lines.push(`Flag ${flag}: ${FLAG_MEANINGS[flag]}`);
  for (const r of result.reasons) lines.push(`${r.code}: ${REASON_EXPLANATIONS[r.code]} (${describeReasonDetail(r)})`);
  const t = p.topology;
  lines.push(
    `Spend: total ${f(t.total, 2)}, top channel ${t.top1Channel ?? "—"} (${pct(t.top1Share)}), top-2 sum ${f(t.top2Sum, 2)} (cluster percentile ${pct(t.top2SumPctile)}), ${t.nonZeroCount} non-zero, ${t.missingChannelCount} missing${t.missingChannelCount ? ` (${t.missingChannels.join(", ")})` : ""}.`,
  );
  if (t.missingContextCount > 0) lines.push(`Missing context: ${t.missingContext.join(", ")}.`);
  const c = p.cluster;
  lines.push(
    `Cluster ${c.clusterId}: N = ${c.n}${c.small ? " (small: global statistics used)" : ""}, μ_cluster ${f(c.muCluster)}, prior μ_blend ${f(c.muBlend)}.`,
  );
  lines.push(`Variance ${f(p.varCombined)} (logit) = ${p.varComponents.map(describeVarComponent).join(" + ")}.`);
  lines.push(
    `Agreement: pGlm ${f(p.pGlm)}${p.pGlmSource === "snapshotGlm" ? " (policy GLM)" : ""}, gap ${f(p.glmGap)}; ensemble agreement ${f(p.ensembleAgreement)}.`,
  );
  if (p.contributions) {
    lines.push(
      `Contributions: ${p.contributions.capsTriggered ? "a channel exceeded the cap" : "within the caps"}; capping removed ${pct(p.contributions.capsScaling)}; capped probability ${f(p.contributions.pCapped)}.`,
    );
  }
  const b = p.batch;
  const holdState = b.held ? "held" : b.holdReleased ? "hold released by a reviewer" : b.size < b.minSize ? `not held (smaller than BATCH_HOLD_MIN_N ${b.minSize})` : "not held";
  lines.push(
    `Batch ${b.batchId}: ${b.size} record${b.size === 1 ? "" : "s"}, ${b.fragileCount} fragile (${pct(b.fragileFraction)}), ${holdState} (p = ${f(b.pValue, 4)}).`,
  );
  const h = p.inheritedHold;
  if (h) {
    lines.push(`Hold kept from batch ${h.batchId}, which holds an earlier result of this record and was not released: ${h.fragileCount} of ${h.size} fragile (p = ${f(h.pValue, 4)}).`);
  }
  return lines;
}
