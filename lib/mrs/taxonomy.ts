/**
 * The closed vocabularies of minority events (spec/minority-events.md §1), each value a
 * stable slug with the label the UI shows and a one-line meaning. Imports nothing, so
 * client components may import it directly.
 */

/** The source category of an anomaly. `unknown` is what a missing, failed or unconfident attribution shows. */
export const CAUSE_CATEGORIES = [
  "data_error",
  "marketing_misattribution",
  "promotion",
  "competitor_stockout",
  "social_viral",
  "operational_store_issue",
  "external_disruption",
  "unknown",
] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];

export const CAUSE_CATEGORY_LABELS: Record<CauseCategory, { label: string; meaning: string }> = {
  data_error: { label: "Data Error", meaning: "The sales data itself is wrong: a till fault, a corrupt or duplicated store feed." },
  marketing_misattribution: { label: "Marketing Misattribution", meaning: "The lift is (or is being credited to) paid marketing spend; campaign credit may be wrong." },
  promotion: { label: "Promotion", meaning: "A price or partner promotion drove the lift (e.g. a delivery-platform free-bar offer)." },
  competitor_stockout: { label: "Competitor Stockout", meaning: "A competitor's product was out of stock and demand substituted to ours." },
  social_viral: { label: "Social/Viral Event", meaning: "Organic attention: a viral post, a TV feature, a podcast mention." },
  operational_store_issue: { label: "Operational/Store Issue", meaning: "Something in the store or its systems changed sales: a system failure, a closure, a replenishment fault." },
  external_disruption: { label: "External Disruption", meaning: "An exogenous shock around the store: travel disruption, weather, a local event." },
  unknown: { label: "Unknown", meaning: "No confident cause: attribution is missing, failed, or proposed nothing above its threshold." },
};

/** Longest free-text cause label (the specific cause: "TikTok Viral", "Deliveroo Promo", …). */
export const CAUSE_LABEL_MAX = 80;

/** A cause: the closed category plus the free-text specific cause. */
export interface Cause {
  readonly category: CauseCategory;
  readonly label: string;
}

/** Which part of the commercial system an anomaly distorts (seed: "Impact Vector"). */
export const IMPACT_VECTORS = ["baseline_drift", "attribution_error", "spend_leakage", "operational_disruption"] as const;
export type ImpactVector = (typeof IMPACT_VECTORS)[number];

export const IMPACT_VECTOR_LABELS: Record<ImpactVector, { label: string; meaning: string }> = {
  baseline_drift: { label: "Baseline drift", meaning: "The anomaly would leak into the sales baseline the models learn from." },
  attribution_error: { label: "Attribution error", meaning: "Credit for the lift would go to the wrong driver (campaign, channel)." },
  spend_leakage: { label: "Spend leakage", meaning: "Budget would move towards a driver that did not cause the lift." },
  operational_disruption: { label: "Operational disruption", meaning: "Store operations (stock, staffing, systems) are affected." },
};

/** Escalation tier of an event's confidence (thresholds in priority.ts). */
export const CONFIDENCE_TIERS = ["low", "medium", "high"] as const;
export type ConfidenceTier = (typeof CONFIDENCE_TIERS)[number];

export const CONFIDENCE_TIER_LABELS: Record<ConfidenceTier, { label: string; meaning: string }> = {
  low: { label: "Low", meaning: "Below 0.30 by default: a weak signal; waits for an analyst." },
  medium: { label: "Medium", meaning: "0.30 up to 0.70 by default: plausible, needs corroboration." },
  high: { label: "High", meaning: "0.70 and above by default: eligible for automation where configured." },
};

/** Where an event (or report) stands in its human review. `reopen` returns it to `open`. */
export const EVENT_STATUSES = ["open", "decided", "finalised"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_STATUS_LABELS: Record<EventStatus, { label: string; meaning: string }> = {
  open: { label: "Open", meaning: "Nobody has decided it yet (or it was reopened)." },
  decided: { label: "Decided", meaning: "An analyst (or weekend-mode automation) confirmed or overrode the machine cause." },
  finalised: { label: "Finalised", meaning: "Closed with an outcome; it can still be reopened." },
};

/** How a finalised event was closed. */
export const FINALISATION_OUTCOMES = ["approved", "false_positive", "dismissed"] as const;
export type FinalisationOutcome = (typeof FINALISATION_OUTCOMES)[number];

export const FINALISATION_OUTCOME_LABELS: Record<FinalisationOutcome, { label: string; meaning: string }> = {
  approved: { label: "Approved", meaning: "A real anomaly with the recorded cause; downstream models are protected from it." },
  false_positive: { label: "False positive", meaning: "Not a real change in demand (e.g. a till fault); excluded as bad data." },
  dismissed: { label: "Dismissed", meaning: "Real but not worth acting on (negligible impact, already handled)." },
};

/** Triage priority of an event (the rule table is in priority.ts). */
export const PRIORITIES = ["high", "medium", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_LABELS: Record<Priority, string> = { high: "High", medium: "Medium", low: "Low" };

/** What a person (or the weekend-mode rule) can do to an event or a report (spec §7). */
export const HUMAN_ACTIONS = ["confirm", "override", "finalise", "reopen", "note"] as const;
export type HumanAction = (typeof HUMAN_ACTIONS)[number];

export const HUMAN_ACTION_LABELS: Record<HumanAction, { label: string; meaning: string }> = {
  confirm: { label: "Confirm", meaning: "Accept the machine's cause." },
  override: { label: "Override", meaning: "Choose another cause, with a reason and optional evidence." },
  finalise: { label: "Finalise", meaning: "Close with an outcome (approved, false positive, dismissed)." },
  reopen: { label: "Reopen", meaning: "Return a decided or finalised subject to open (\"open loops\")." },
  note: { label: "Note", meaning: "Add evidence or a note; changes no status." },
};

/** Why a person (or the system) acted on an event or report: the edit log's reasonCode. */
export const EVENT_REASON_CODES = [
  "evidence_corroborates",
  "new_evidence",
  "novel_cause",
  "model_misattribution",
  "data_issue",
  "no_action_needed",
  "weekend_auto_confirm",
  "other",
] as const;
export type EventReasonCode = (typeof EVENT_REASON_CODES)[number];

export const EVENT_REASON_LABELS: Record<EventReasonCode, { label: string; meaning: string }> = {
  evidence_corroborates: { label: "Evidence corroborates", meaning: "Outside evidence (ops, marketing, competitor intel) supports the cause." },
  new_evidence: { label: "New evidence", meaning: "Evidence the model did not see points to another cause." },
  novel_cause: { label: "Novel cause", meaning: "A cause the model does not know (taxonomy or retraining needed)." },
  model_misattribution: { label: "Model misattribution", meaning: "The model credited the wrong driver." },
  data_issue: { label: "Data issue", meaning: "The anomaly comes from bad data, not demand." },
  no_action_needed: { label: "No action needed", meaning: "Real but negligible, or already handled elsewhere." },
  weekend_auto_confirm: { label: "Weekend auto-confirm", meaning: "Confirmed by the weekend-mode rule (system actor), not a person." },
  other: { label: "Other", meaning: "None of the above; the text says why." },
};

/** The per-report pipeline stages whose absence can make a report degraded (spec §6). */
export const PIPELINE_STAGES = ["detection", "clustering", "attribution"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
