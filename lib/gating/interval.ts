/**
 * Predictive interval in logit space (spec/gating.md §4.1):
 *   varCombined = varBase + κ_impute·missingChannelCount + κ_missing·|missingContext|
 *                 + [fragile]·Σ κ_flag·I(flag)
 *   p10/p90 = σ(z50 ∓ 1.2816·√varCombined), z50 = logit(clip(pModel)).
 * Flag κ terms inflate fragile records only (seed §4/§H "for fragiles"). All κ ≥ 0 (schema),
 * so adding a flag, a missing channel or a missing key never narrows the interval.
 */
import type { CompiledPolicy } from "./compiled-policy";
import { logit, sigmoid } from "./numeric";
import { FLAG_CODES, type FlagCode } from "./reasons";

/** Φ⁻¹(0.9): the p10/p90 half-width in standard deviations. */
export const Z_90 = 1.2816;

export type VarComponent =
  | { readonly term: "varBase"; readonly source: "upstream" | "snapshot"; readonly value: number }
  | { readonly term: "impute"; readonly count: number; readonly kappa: number; readonly value: number }
  | { readonly term: "missingContext"; readonly count: number; readonly kappa: number; readonly value: number }
  | { readonly term: "flag"; readonly flag: FlagCode; readonly kappa: number; readonly value: number };

export interface IntervalOutcome {
  readonly varCombined: number;
  /** the terms that made varCombined: varBase always, then every applicable term with κ > 0 */
  readonly varComponents: readonly VarComponent[];
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  /** p90 − p10 */
  readonly predictiveWidth: number;
  /** the label the machine would release: p50 ≥ DECISION_THRESHOLD */
  readonly decision: boolean;
  /** pessimistic-bound probability of that decision: p10 if positive, 1 − p90 if negative */
  readonly confidence: number;
}

/** varCombined of §4.1 (no allocation). */
export function combinedVariance(
  varBase: number,
  missingChannelCount: number,
  missingContextCount: number,
  fragile: boolean,
  flagMask: number,
  policy: CompiledPolicy,
): number {
  const t = policy.thresholds;
  let v = varBase + t.KAPPA_IMPUTE * missingChannelCount + t.KAPPA_MISSING * missingContextCount;
  if (fragile) {
    const kappa = policy.kappaFlags;
    for (let i = 0; i < FLAG_CODES.length; i++) if (flagMask & (1 << i)) v += kappa[i] as number;
  }
  return v;
}

function buildComponents(
  varBase: number,
  varBaseSource: "upstream" | "snapshot",
  missingChannelCount: number,
  missingContextCount: number,
  fragile: boolean,
  flagMask: number,
  policy: CompiledPolicy,
): VarComponent[] {
  const t = policy.thresholds;
  const out: VarComponent[] = [Object.freeze({ term: "varBase", source: varBaseSource, value: varBase })];
  if (missingChannelCount > 0 && t.KAPPA_IMPUTE > 0) {
    out.push(Object.freeze({ term: "impute", count: missingChannelCount, kappa: t.KAPPA_IMPUTE, value: t.KAPPA_IMPUTE * missingChannelCount }));
  }
  if (missingContextCount > 0 && t.KAPPA_MISSING > 0) {
    out.push(Object.freeze({ term: "missingContext", count: missingContextCount, kappa: t.KAPPA_MISSING, value: t.KAPPA_MISSING * missingContextCount }));
  }
  if (fragile) {
    for (let i = 0; i < FLAG_CODES.length; i++) {
      const kappa = policy.kappaFlags[i] as number;
      if (flagMask & (1 << i) && kappa > 0) out.push(Object.freeze({ term: "flag", flag: FLAG_CODES[i] as FlagCode, kappa, value: kappa }));
    }
  }
  return out;
}

/**
 * The variance terms; memoised per (missing counts, fragile flag mask) when varBase is the
 * snapshot's, so the common case allocates nothing.
 */
export function varianceComponents(
  varBase: number,
  varBaseSource: "upstream" | "snapshot",
  missingChannelCount: number,
  missingContextCount: number,
  fragile: boolean,
  flagMask: number,
  policy: CompiledPolicy,
): readonly VarComponent[] {
  if (varBaseSource === "upstream" || missingContextCount >= 64) {
    return Object.freeze(buildComponents(varBase, varBaseSource, missingChannelCount, missingContextCount, fragile, flagMask, policy));
  }
  const key = (missingChannelCount * 64 + missingContextCount) * 2048 + (fragile ? 1024 + flagMask : 0);
  const memo = policy.memo.varComponentLists as Map<number, readonly VarComponent[]>;
  let list = memo.get(key);
  if (list === undefined) {
    list = Object.freeze(buildComponents(varBase, varBaseSource, missingChannelCount, missingContextCount, fragile, flagMask, policy));
    memo.set(key, list);
  }
  return list;
}

/** p10 / p50 / p90, decision and confidence from pModel and the combined variance. */
export function intervalFromVariance(pModel: number, varCombined: number, decisionThreshold: number) {
  const z50 = logit(pModel);
  const half = Z_90 * Math.sqrt(varCombined);
  const p10 = sigmoid(z50 - half);
  const p50 = sigmoid(z50);
  const p90 = sigmoid(z50 + half);
  const decision = p50 >= decisionThreshold;
  return { p10, p50, p90, predictiveWidth: p90 - p10, decision, confidence: decision ? p10 : 1 - p90 };
}

/** The whole §4.1 computation for one record. `upstreamVarBase` undefined → the snapshot's varBase. */
export function computeInterval(
  pModel: number,
  upstreamVarBase: number | undefined,
  missingChannelCount: number,
  missingContextCount: number,
  fragile: boolean,
  flagMask: number,
  policy: CompiledPolicy,
): IntervalOutcome {
  const fromUpstream = upstreamVarBase !== undefined;
  const varBase = fromUpstream ? upstreamVarBase : policy.snapshot.varBase;
  const varCombined = combinedVariance(varBase, missingChannelCount, missingContextCount, fragile, flagMask, policy);
  // Inlined intervalFromVariance: this runs once per record.
  const z50 = logit(pModel);
  const half = Z_90 * Math.sqrt(varCombined);
  const p10 = sigmoid(z50 - half);
  const p50 = sigmoid(z50);
  const p90 = sigmoid(z50 + half);
  const decision = p50 >= policy.thresholds.DECISION_THRESHOLD;
  return {
    varCombined,
    varComponents: varianceComponents(varBase, fromUpstream ? "upstream" : "snapshot", missingChannelCount, missingContextCount, fragile, flagMask, policy),
    p10,
    p50,
    p90,
    predictiveWidth: p90 - p10,
    decision,
    confidence: decision ? p10 : 1 - p90,
  };
}
