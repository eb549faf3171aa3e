/**
 * Event confidence, confidence tier and priority (spec §5). Thresholds are configuration
 * (objects with the spec's defaults), never constants in the rules.
 */
import type { CauseCategory, ConfidenceTier, Priority } from "./taxonomy";
import { instantMs } from "./time";

// ---------------------------------------------------------------------------------------
// Tier
// ---------------------------------------------------------------------------------------

export interface TierThresholds {
  /** High at or above this */
  readonly high: number;
  /** Medium at or above this (and below `high`); Low below */
  readonly medium: number;
}

export const DEFAULT_TIER_THRESHOLDS: TierThresholds = Object.freeze({ high: 0.7, medium: 0.3 });

/** High ≥ 0.70, Medium 0.30 up to (not including) 0.70, Low < 0.30; null without a confidence. */
export function confidenceTier(confidence: number | null, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): ConfidenceTier | null {
  if (confidence === null || !Number.isFinite(confidence)) return null;
  if (confidence >= thresholds.high) return "high";
  if (confidence >= thresholds.medium) return "medium";
  return "low";
}

// ---------------------------------------------------------------------------------------
// Event confidence
// ---------------------------------------------------------------------------------------

/** What event confidence reads of a report (a hydrated report satisfies it). */
export interface ConfidenceSource {
  readonly reportId: string;
  readonly confidence_1: number | null;
  readonly causeCategory_1: CauseCategory;
  readonly causeLabel_1: string | null;
  readonly attributionWrittenAt: string | null;
}

export interface EventConfidence {
  readonly confidence: number;
  readonly causeCategory: CauseCategory;
  readonly causeLabel: string | null;
  /** the report whose latest attribution holds the highest confidence_1 */
  readonly reportId: string;
  /** when that attribution was written: when the event reached this confidence */
  readonly writtenAt: string | null;
}

/**
 * The highest latest-attribution confidence_1 among the cohort's reports, with the cause
 * that carries it (so cause and confidence always agree). Ties go to the most recent
 * attribution, then the smaller reportId. Null when no report has a confidence.
 */
export function eventConfidence(reports: readonly ConfidenceSource[]): EventConfidence | null {
  let best: ConfidenceSource | null = null;
  for (const r of reports) {
    if (r.confidence_1 === null) continue;
    if (best === null || better(r, best)) best = r;
  }
  if (best === null || best.confidence_1 === null) return null;
  return { confidence: best.confidence_1, causeCategory: best.causeCategory_1, causeLabel: best.causeLabel_1, reportId: best.reportId, writtenAt: best.attributionWrittenAt };
}

function better(a: ConfidenceSource, b: ConfidenceSource): boolean {
  if (a.confidence_1! !== b.confidence_1!) return a.confidence_1! > b.confidence_1!;
  const ta = a.attributionWrittenAt === null ? -Infinity : (instantMs(a.attributionWrittenAt) ?? -Infinity);
  const tb = b.attributionWrittenAt === null ? -Infinity : (instantMs(b.attributionWrittenAt) ?? -Infinity);
  if (ta !== tb) return ta > tb;
  return a.reportId < b.reportId;
}

// ---------------------------------------------------------------------------------------
// Priority: an ordered rule table, first match wins
// ---------------------------------------------------------------------------------------

export interface PriorityConfig {
  /** rule 1: below this (or no confidence) → Low */
  readonly lowConfidenceBelow: number;
  /** rule 2: at or above this, for `highCategories` → High */
  readonly highConfidenceAtLeast: number;
  readonly highCategories: readonly CauseCategory[];
  /** rule 3 (HIGH_IMPACT_UPLIFT): |uplift| at or above this, in sales currency → High */
  readonly highImpactUplift: number;
  /** rule 3: or |uplift| at or above this share of baseline → High */
  readonly highImpactBaselineShare: number;
}

export const DEFAULT_PRIORITY_CONFIG: PriorityConfig = Object.freeze({
  lowConfidenceBelow: 0.3,
  highConfidenceAtLeast: 0.7,
  highCategories: Object.freeze(["data_error", "operational_store_issue", "competitor_stockout"] as CauseCategory[]),
  highImpactUplift: 10_000,
  highImpactBaselineShare: 0.5,
});

export const PRIORITY_RULES = [
  { id: "low_confidence", priority: "low", explanation: "Confidence missing or below the low threshold (default 0.30)." },
  { id: "consequential_cause", priority: "high", explanation: "Data Error, Operational/Store Issue or Competitor Stockout at confidence ≥ the high threshold (default 0.70)." },
  { id: "high_impact", priority: "high", explanation: "|uplift| ≥ HIGH_IMPACT_UPLIFT (default 10,000) or ≥ 50 % of baseline." },
  { id: "default", priority: "medium", explanation: "Everything else." },
] as const satisfies readonly { id: string; priority: Priority; explanation: string }[];
export type PriorityRuleId = (typeof PRIORITY_RULES)[number]["id"];

/** What the rules read of an event: its confidence and machine category, and its totals. */
export interface PriorityInput {
  readonly confidence: number | null;
  readonly category: CauseCategory | null;
  /** the event's summed uplift (attributed vs baseline sales) */
  readonly uplift: number | null;
  /** the event's summed baseline */
  readonly baseline: number | null;
}

export interface PriorityOutcome {
  readonly priority: Priority;
  readonly rule: PriorityRuleId;
}

function isHighImpact(uplift: number | null, baseline: number | null, config: PriorityConfig): boolean {
  if (uplift === null || !Number.isFinite(uplift)) return false;
  const size = Math.abs(uplift);
  if (size >= config.highImpactUplift) return true;
  // A zero baseline gives no relative scale: only the absolute threshold applies then.
  return baseline !== null && baseline > 0 && size >= config.highImpactBaselineShare * baseline;
}

/** Evaluates the rule table top-down and says which rule fired. */
export function eventPriority(input: PriorityInput, config: PriorityConfig = DEFAULT_PRIORITY_CONFIG): PriorityOutcome {
  const matches: Record<PriorityRuleId, () => boolean> = {
    low_confidence: () => input.confidence === null || input.confidence < config.lowConfidenceBelow,
    consequential_cause: () => input.category !== null && config.highCategories.includes(input.category) && input.confidence !== null && input.confidence >= config.highConfidenceAtLeast,
    high_impact: () => isHighImpact(input.uplift, input.baseline, config),
    default: () => true,
  };
  for (const rule of PRIORITY_RULES) if (matches[rule.id]()) return { priority: rule.priority, rule: rule.id };
  /* c8 ignore next */
  throw new Error("the priority table has no default rule");
}
