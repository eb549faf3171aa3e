/**
 * The words and limits of a decision as the forms show them: override and amend reasons,
 * label names, the text limit. No zod here: client components import this module; the
 * schemas that check what they send (lib/validations/decisions.ts) run on the server.
 */

/** Why an analyst overrides the machine: a closed enum (the edit log's reasonCode). */
export const OVERRIDE_REASONS = ["model_wrong_evidence", "data_error", "missing_context", "policy_exception", "other"] as const;
export type OverrideReason = (typeof OVERRIDE_REASONS)[number];

export const OVERRIDE_REASON_LABELS: Record<OverrideReason, { label: string; meaning: string }> = {
  model_wrong_evidence: { label: "Model wrong (evidence)", meaning: "Evidence the model did not see shows the other label." },
  data_error: { label: "Data error", meaning: "The record's inputs are wrong (swapped, duplicated or corrupt spends or context)." },
  missing_context: { label: "Missing context", meaning: "Context the model lacks (e.g. a known account situation) decides it." },
  policy_exception: { label: "Policy exception", meaning: "Policy requires the other label for this case regardless of the score." },
  other: { label: "Other", meaning: "None of the above; the text says why." },
};

export const TEXT_MAX = 2000;

/** The reference domain's labels, as analysts read them (true = the positive class). */
export const labelName = (label: boolean) => (label ? "Transported" : "Not transported");
export const CLAIM_MINUTES_DEFAULT = 15;

/** Why a lead amends a decided record: a closed enum (the amend entry's reasonCode). */
export const AMEND_REASONS = ["decision_error", "new_evidence", "policy_exception", "other"] as const;
export type AmendReason = (typeof AMEND_REASONS)[number];

export const AMEND_REASON_LABELS: Record<AmendReason, { label: string; meaning: string }> = {
  decision_error: { label: "Decision error", meaning: "The decision was wrong on the evidence it had." },
  new_evidence: { label: "New evidence", meaning: "Evidence that arrived after the decision shows the other label." },
  policy_exception: { label: "Policy exception", meaning: "Policy requires the other label for this case." },
  other: { label: "Other", meaning: "None of the above; the text says why." },
};

/** How the record page and the conflicts name what someone did to a record. */
export const ACTION_VERBS: Record<string, string> = {
  confirm: "confirmed",
  override: "overrode",
  amend: "amended",
  claim: "claimed",
  takeover: "took over",
  note: "added a note to",
  release: "released the batch of",
};
