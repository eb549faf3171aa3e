/**
 * Per-record routing (spec/gating.md §6.3). Every check that applies to the record's
 * class is evaluated and recorded whatever the route — no short-circuit — so an analyst
 * sees everything that was wrong. `route = audit` iff at least one reason was recorded.
 * Reasons come in the §6.3 table's order, each `{ code, value, threshold, ...extra }`.
 *
 * Checks that need evidence fail closed for fragile records: a missing GLM score,
 * ensemble or (when expected) contributions is a failed check with its own code.
 *
 * BATCH_HOLD comes from the record's own held batch or, failing that, from a hold it keeps
 * from an earlier held, unreleased batch (§6.2); either way the other checks still run on
 * the record's new result.
 */
import type { BatchHoldEvaluation, InheritedHold } from "./batch-hold";
import type { CapsOutcome } from "./caps";
import type { Route } from "./reasons";
import type { Thresholds } from "./schemas";

/** Which threshold set a LOW_CONFIDENCE / gate reason was judged against. */
export type GateSet = "smallBatchFragile" | "fragile" | "accept";

export type GatingReason =
  | { readonly code: "CANARY"; readonly value: readonly string[]; readonly threshold: null }
  | {
      readonly code: "BATCH_HOLD";
      readonly value: number;
      readonly threshold: number;
      readonly pValue: number;
      readonly alpha: number;
      readonly fragileCount: number;
      readonly batchSize: number;
      /** the held batch these figures are from: the record's own batch, or the earlier one whose hold it keeps */
      readonly heldBatchId: string;
      /** true when the hold comes from an earlier held batch, not this one */
      readonly inherited: boolean;
    }
  | { readonly code: "SINGLETON_FRAGILE"; readonly value: number; readonly threshold: number; readonly fragilityScore: number; readonly theta: number }
  | { readonly code: "CAPS_TRIGGERED"; readonly value: number; readonly threshold: number; readonly channel: string | null }
  | { readonly code: "CAPS_SCALING"; readonly value: number; readonly threshold: number }
  | { readonly code: "CONTRIBUTIONS_MISSING"; readonly value: null; readonly threshold: null }
  | { readonly code: "GLM_MISSING"; readonly value: null; readonly threshold: number; readonly gates: GateSet }
  | { readonly code: "GLM_DISAGREE"; readonly value: number; readonly threshold: number; readonly gates: GateSet }
  | { readonly code: "ENSEMBLE_MISSING"; readonly value: null; readonly threshold: number; readonly gates: GateSet }
  | { readonly code: "ENSEMBLE_DISAGREE"; readonly value: number; readonly threshold: number; readonly gates: GateSet }
  | { readonly code: "INTERVAL_WIDE"; readonly value: number; readonly threshold: number; readonly gates: GateSet }
  | { readonly code: "LOW_CONFIDENCE"; readonly value: number; readonly threshold: number; readonly gates: GateSet };

/** The parts of a §4.2 caps outcome routing reads. */
export type CapsEvidence = Pick<CapsOutcome, "capsTriggered" | "maxAbsRaw" | "maxAbsRawChannel" | "capsScaling">;

/** Everything routing looks at for one record. */
export interface RoutingEvidence {
  readonly canaryMatches: readonly string[];
  readonly fragile: boolean;
  readonly fragilityScore: number;
  /** what routing reads of the caps outcome; null when the record sent no contributions */
  readonly contributions: CapsEvidence | null;
  readonly glmGap: number | null;
  readonly ensembleAgreement: number | null;
  readonly predictiveWidth: number;
  readonly confidence: number;
  /** a hold kept from an earlier held, unreleased batch (§6.2); null when none */
  readonly inheritedHold: InheritedHold | null;
}

export interface RoutingContext {
  readonly thresholds: Thresholds;
  readonly theta: number;
  readonly csAccept: number;
  readonly contributionsExpected: boolean;
  readonly batchId: string;
  readonly batch: BatchHoldEvaluation;
  /** the hold is in effect (tested positive and not released by a human) */
  readonly held: boolean;
}

const NO_REASONS: readonly GatingReason[] = Object.freeze([]);

/** The reasons of one record, in table order (a shared empty array when there are none). */
export function routingReasons(e: RoutingEvidence, ctx: RoutingContext): readonly GatingReason[] {
  const t = ctx.thresholds;
  const b = ctx.batch;
  // Most records pass everything: allocate the list only when a check fails.
  let out: GatingReason[] | null = null;
  if (e.canaryMatches.length > 0) (out ??= []).push({ code: "CANARY", value: e.canaryMatches, threshold: null });
  if (ctx.held) {
    (out ??= []).push({
      code: "BATCH_HOLD",
      value: b.fragileFraction,
      threshold: b.threshold,
      pValue: b.pValue,
      alpha: b.alpha,
      fragileCount: b.fragileCount,
      batchSize: b.size,
      heldBatchId: ctx.batchId,
      inherited: false,
    });
  } else if (e.inheritedHold !== null) {
    // One BATCH_HOLD per record: when its own batch is held too, that hold is the reason and
    // the inherited one stays visible in provenance.
    const h = e.inheritedHold;
    (out ??= []).push({
      code: "BATCH_HOLD",
      value: h.fragileFraction,
      threshold: h.threshold,
      pValue: h.pValue,
      alpha: h.alpha,
      fragileCount: h.fragileCount,
      batchSize: h.size,
      heldBatchId: h.batchId,
      inherited: true,
    });
  }
  if (e.fragile) {
    if (b.size === 1) (out ??= []).push({ code: "SINGLETON_FRAGILE", value: 1, threshold: 1, fragilityScore: e.fragilityScore, theta: ctx.theta });
    const caps = e.contributions;
    if (caps !== null) {
      if (caps.capsTriggered) (out ??= []).push({ code: "CAPS_TRIGGERED", value: caps.maxAbsRaw, threshold: t.CAP_PER_FEATURE_LOGIT, channel: caps.maxAbsRawChannel });
      if (caps.capsScaling > t.CAPS_SCALING_ALPHA) (out ??= []).push({ code: "CAPS_SCALING", value: caps.capsScaling, threshold: t.CAPS_SCALING_ALPHA });
    } else if (ctx.contributionsExpected) {
      (out ??= []).push({ code: "CONTRIBUTIONS_MISSING", value: null, threshold: null });
    }
    const small = b.size <= t.SMALL_BATCH_MAX;
    const gates = small ? t.SMALL_BATCH_FRAGILE_GATES : t.FRAGILE_GATES;
    const set: GateSet = small ? "smallBatchFragile" : "fragile";
    if (e.glmGap === null) (out ??= []).push({ code: "GLM_MISSING", value: null, threshold: gates.GLM_GAP_MAX, gates: set });
    else if (!(e.glmGap <= gates.GLM_GAP_MAX)) (out ??= []).push({ code: "GLM_DISAGREE", value: e.glmGap, threshold: gates.GLM_GAP_MAX, gates: set });
    if (e.ensembleAgreement === null) (out ??= []).push({ code: "ENSEMBLE_MISSING", value: null, threshold: gates.ENSEMBLE_AGREEMENT_MIN, gates: set });
    else if (!(e.ensembleAgreement >= gates.ENSEMBLE_AGREEMENT_MIN)) {
      (out ??= []).push({ code: "ENSEMBLE_DISAGREE", value: e.ensembleAgreement, threshold: gates.ENSEMBLE_AGREEMENT_MIN, gates: set });
    }
    if (!(e.predictiveWidth <= gates.INTERVAL_WIDTH_MAX)) {
      (out ??= []).push({ code: "INTERVAL_WIDE", value: e.predictiveWidth, threshold: gates.INTERVAL_WIDTH_MAX, gates: set });
    }
    if (!(e.confidence >= gates.CONFIDENCE_MIN)) (out ??= []).push({ code: "LOW_CONFIDENCE", value: e.confidence, threshold: gates.CONFIDENCE_MIN, gates: set });
  } else if (!(e.confidence >= ctx.csAccept)) {
    (out ??= []).push({ code: "LOW_CONFIDENCE", value: e.confidence, threshold: ctx.csAccept, gates: "accept" });
  }
  return out ?? NO_REASONS;
}

export function routeOf(reasons: readonly GatingReason[]): Route {
  return reasons.length > 0 ? "audit" : "auto";
}
