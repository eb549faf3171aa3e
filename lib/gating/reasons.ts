/**
 * Closed vocabularies of the gating core (spec/gating.md §3.1 and §6.3): flag codes and
 * reason codes, each with the one-line text the console shows. The arrays are in the
 * spec tables' order; output lists (`flags`, `reasons`) follow that order.
 *
 * This module imports nothing, so client components may import it directly
 * (`@/lib/gating/reasons`) without pulling in the rest of the core.
 */

/** §3.1, in the table's order. A result's `flags` array lists the true ones in this order. */
export const FLAG_CODES = [
  "SUPER_DOMINANT",
  "MULTI_HIGH_SPEND",
  "AGGREGATE_MEDIUM_HIGH",
  "MISSING_CONTEXT",
  "IMPUTED_ZERO_ALL",
  "CRYO_UNKNOWN_ALLZERO",
  "CRYO_CONFLICT",
  "PER_FEATURE_OUTLIER",
  "SMALL_CLUSTER",
  "CAPS_TRIGGERED",
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** Bit of each flag in the internal flag mask (bit i ⇔ FLAG_CODES[i]). */
export const FLAG_BIT: Readonly<Record<FlagCode, number>> = Object.freeze(
  Object.fromEntries(FLAG_CODES.map((code, i) => [code, 1 << i])) as Record<FlagCode, number>,
);

/** One-line meaning of each flag, for the console. */
export const FLAG_MEANINGS: Readonly<Record<FlagCode, string>> = Object.freeze({
  SUPER_DOMINANT: "One spend channel dominates: most of the spend, or beyond the cluster's outlier bound.",
  MULTI_HIGH_SPEND: "Several channels are above the cluster's high-spend quantile.",
  AGGREGATE_MEDIUM_HIGH: "Several medium spends add up to a high total.",
  MISSING_CONTEXT: "A required context field (e.g. home planet, destination, cabin) is missing.",
  IMPUTED_ZERO_ALL: "Every observed spend is zero and some are missing: imputation would invent an all-zero vector.",
  CRYO_UNKNOWN_ALLZERO: "No spend at all and the CryoSleep status is unknown.",
  CRYO_CONFLICT: "In CryoSleep yet spending: the input contradicts itself.",
  PER_FEATURE_OUTLIER: "A channel's spend is at or beyond the cluster's outlier quantile.",
  SMALL_CLUSTER: "The record's cluster has too few reference rows; global statistics were used.",
  CAPS_TRIGGERED: "A spend channel's logit contribution exceeded the per-feature cap.",
});

/** §6.3, in the table's order. A result's `reasons` follow this order. */
export const REASON_CODES = [
  "CANARY",
  "BATCH_HOLD",
  "SINGLETON_FRAGILE",
  "CAPS_TRIGGERED",
  "CAPS_SCALING",
  "CONTRIBUTIONS_MISSING",
  "GLM_MISSING",
  "GLM_DISAGREE",
  "ENSEMBLE_MISSING",
  "ENSEMBLE_DISAGREE",
  "INTERVAL_WIDE",
  "LOW_CONFIDENCE",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The one-line explanation shown to analysts (§6.3 table). */
export const REASON_EXPLANATIONS: Readonly<Record<ReasonCode, string>> = Object.freeze({
  CANARY: "This record matches a registered failure case.",
  BATCH_HOLD: "Its batch has significantly more fragile records than usual; the batch is held.",
  SINGLETON_FRAGILE: "A fragile record arrived alone; single fragile records are never auto-released.",
  CAPS_TRIGGERED: "One spend channel pushed the model's logit past the per-feature cap.",
  CAPS_SCALING: "Capping removed a large share of the channel evidence.",
  CONTRIBUTIONS_MISSING: "The model's per-feature contributions were expected but not sent.",
  GLM_MISSING: "The fallback GLM score is missing.",
  GLM_DISAGREE: "The fallback GLM score disagrees with the model.",
  ENSEMBLE_MISSING: "Ensemble scores are missing.",
  ENSEMBLE_DISAGREE: "The ensemble members disagree.",
  INTERVAL_WIDE: "The p10–p90 interval is wider than allowed.",
  LOW_CONFIDENCE: "The pessimistic bound of the decision's probability is below the bar.",
});

/** Where a record goes: released by the machine, or to a human. */
export const ROUTES = ["auto", "audit"] as const;
export type Route = (typeof ROUTES)[number];

/** Fields of the §2 topology a canary signature's `where` may bound (numeric ones only). */
export const TOPOLOGY_NUMERIC_FIELDS = [
  "observedCount",
  "missingChannelCount",
  "total",
  "top1Value",
  "top1Share",
  "top2Sum",
  "top3Sum",
  "entropy",
  "gini",
  "nonZeroCount",
  "countAboveQ75",
  "countAboveQ90",
  "top2SumPctile",
  "zTop2",
  "missingContextCount",
] as const;
export type TopologyNumericField = (typeof TOPOLOGY_NUMERIC_FIELDS)[number];

/** Bit mask of a list of flag codes (bit i ⇔ FLAG_CODES[i]). */
export function flagMaskOf(codes: readonly FlagCode[]): number {
  let mask = 0;
  for (const c of codes) mask |= FLAG_BIT[c];
  return mask;
}
