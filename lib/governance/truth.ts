/**
 * A record's ground truth for the figures about the machine (docs/labels.md): label
 * feedback when its sources agree, else the analyst's final decision, else none. Sources
 * that disagree make the record disputed: it is left out of rates and counted beside them.
 */
export type RecordTruth = { kind: "labelled"; label: boolean; from: "feedback" | "decision" } | { kind: "disputed" } | { kind: "unlabelled" };

/**
 * @param feedback the labels the record's sources sent (one per source)
 * @param decision the label the analysts finally released (latest confirm, override or amendment); null when undecided or released automatically
 */
export function recordTruth(feedback: readonly boolean[], decision: boolean | null): RecordTruth {
  if (feedback.length > 0) {
    const first = feedback[0]!;
    return feedback.every((l) => l === first) ? { kind: "labelled", label: first, from: "feedback" } : { kind: "disputed" };
  }
  return decision === null ? { kind: "unlabelled" } : { kind: "labelled", label: decision, from: "decision" };
}
