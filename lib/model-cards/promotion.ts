/**
 * Seed 002's promotion criteria (spec model-cards.md §2 "Compare"), evaluated one by one for
 * a candidate against the champion it would replace. Each criterion is PASS, FAIL or
 * UNKNOWN (a figure the cards do not carry): the checklist passes only when every one
 * passes, so a missing figure never counts as a good one. Pure.
 */
import { gauntletVerdict, headlineMetric, isBinaryMetrics, type ModelCard } from "./card";

export type CriterionResult = "PASS" | "FAIL" | "UNKNOWN";

export interface Criterion {
  id: "target" | "gap" | "calibration" | "gauntlet";
  /** the rule as the runbook words it */
  rule: string;
  result: CriterionResult;
  /** the numbers the result rests on, in words */
  detail: string;
}

/** A validation/test gap larger than this (in the headline metric) is "a big gap": overfitting. */
export const MAX_VALIDATION_GAP = 0.02;

const f = (x: number) => x.toFixed(4);

/** The card's validation figure of its headline metric, when the pipeline sent one (`metrics.validation.auc` or `.poissonDeviance`). */
function validationHeadline(card: ModelCard): number | null {
  const validation = (card.metrics as { validation?: Record<string, unknown> }).validation;
  const value = validation?.[isBinaryMetrics(card.metrics) ? "auc" : "poissonDeviance"];
  return typeof value === "number" ? value : null;
}

export function promotionChecklist(candidate: ModelCard, champion: ModelCard | null): { criteria: Criterion[]; result: CriterionResult } {
  const c = headlineMetric(candidate);
  const criteria: Criterion[] = [];

  if (!champion) {
    criteria.push({ id: "target", rule: "It improves the target metric on held-out data.", result: "UNKNOWN", detail: "There is no champion to compare with." });
  } else if (champion.task !== candidate.task) {
    criteria.push({ id: "target", rule: "It improves the target metric on held-out data.", result: "UNKNOWN", detail: `The champion is a ${champion.task}, the candidate a ${candidate.task}: their metrics do not compare.` });
  } else {
    const h = headlineMetric(champion);
    const better = c.higherIsBetter ? c.value > h.value : c.value < h.value;
    criteria.push({ id: "target", rule: "It improves the target metric on held-out data.", result: better ? "PASS" : "FAIL", detail: `${c.name} ${f(c.value)} against the champion's ${f(h.value)} (${c.higherIsBetter ? "higher" : "lower"} is better).` });
  }

  const validation = validationHeadline(candidate);
  criteria.push(
    validation === null
      ? { id: "gap", rule: `It does not overfit: no big gap between validation and test (at most ${MAX_VALIDATION_GAP}).`, result: "UNKNOWN", detail: "The card reports no validation figure to compare with its test figure." }
      : {
          id: "gap",
          rule: `It does not overfit: no big gap between validation and test (at most ${MAX_VALIDATION_GAP}).`,
          result: Math.abs(validation - c.value) <= MAX_VALIDATION_GAP ? "PASS" : "FAIL",
          detail: `${c.name} ${f(validation)} on validation, ${f(c.value)} on test: a gap of ${f(Math.abs(validation - c.value))}.`,
        },
  );

  const mae = (card: ModelCard) => (isBinaryMetrics(card.metrics) ? (card.metrics.calibrationMae ?? card.metrics.brier) : null);
  const calibrationName = (card: ModelCard) => (isBinaryMetrics(card.metrics) && card.metrics.calibrationMae !== null ? "calibration MAE" : "Brier");
  const mine = mae(candidate);
  const theirs = champion ? mae(champion) : null;
  criteria.push(
    mine === null || theirs === null || !champion || calibrationName(candidate) !== calibrationName(champion)
      ? { id: "calibration", rule: "Its calibration is not worse than the champion's.", result: "UNKNOWN", detail: "One of the cards reports no comparable calibration figure (calibration MAE, else Brier)." }
      : {
          id: "calibration",
          rule: "Its calibration is not worse than the champion's.",
          result: mine <= theirs ? "PASS" : "FAIL",
          detail: `${calibrationName(candidate)} ${f(mine)} against the champion's ${f(theirs)} (lower is better).`,
        },
  );

  const verdict = gauntletVerdict(candidate);
  const failing = verdict.gates.filter((g) => g.result === "FAIL").map((g) => g.name);
  criteria.push({
    id: "gauntlet",
    rule: "The leakage gauntlet passes.",
    result: verdict.result === "PASS" ? "PASS" : verdict.result === "FAIL" ? "FAIL" : "UNKNOWN",
    detail: verdict.result === null ? "No gate was run." : verdict.result === "FAIL" ? `Failing: ${failing.join(", ")}.` : verdict.gates.map((g) => `${g.name} ${g.result}`).join(", "),
  });

  const result: CriterionResult = criteria.some((x) => x.result === "FAIL") ? "FAIL" : criteria.every((x) => x.result === "PASS") ? "PASS" : "UNKNOWN";
  return { criteria, result };
}

/** The figures both cards carry, side by side, with the candidate's change. */
export function metricDeltas(candidate: ModelCard, champion: ModelCard): { name: string; candidate: number | null; champion: number | null; change: number | null; higherIsBetter: boolean }[] {
  const rows: [string, string, boolean][] = isBinaryMetrics(candidate.metrics)
    ? [
        ["AUC", "auc", true],
        ["PR-AUC", "prAuc", true],
        ["Brier", "brier", false],
        ["calibration MAE", "calibrationMae", false],
        ["FNR", "fnr", false],
        ["recall", "recall", true],
        ["precision", "precision", true],
      ]
    : [
        ["Poisson deviance", "poissonDeviance", false],
        ["weighted MAPE", "weightedMape", false],
        ["R²", "r2", true],
      ];
  const value = (card: ModelCard, key: string) => {
    const v = (card.metrics as Record<string, unknown>)[key];
    return typeof v === "number" ? v : null;
  };
  return rows.map(([name, key, higherIsBetter]) => {
    const a = value(candidate, key);
    const b = value(champion, key);
    return { name, candidate: a, champion: b, change: a !== null && b !== null ? a - b : null, higherIsBetter };
  });
}
