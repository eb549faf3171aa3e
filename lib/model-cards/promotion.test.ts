/**
 * Seed 002's promotion criteria, one by one: the target metric on held-out data (by the
 * task's direction), the validation/test gap, calibration not worse, the gauntlet; a figure
 * a card does not carry is UNKNOWN, never a pass.
 */
import { describe, expect, it } from "vitest";
import { modelCardSchema, type ModelCard } from "./card";
import { MAX_VALIDATION_GAP, metricDeltas, promotionChecklist } from "./promotion";
import { featureSignature } from "./signature";

const features = [{ name: "x", type: "float" }];
const gate = (result: "PASS" | "FAIL") => ({
  permutation: { baselineAuc: 0.8, permutedMean: 0.5, degradation: 0.3, pValue: 0.01, permutations: 99, gate: result },
  reproducibility: { deltaAuc: 0, groupOverlap: 0, gate: "PASS" },
});
function card(metrics: Record<string, unknown>, extra: Record<string, unknown> = {}): ModelCard {
  return modelCardSchema.parse({
    schemaVersion: "1",
    model: "m",
    domain: "d",
    version: "1",
    task: "poissonDeviance" in metrics ? "count_regressor" : "binary_classifier",
    owner: "o",
    createdAt: "2026-01-01T00:00:00Z",
    runId: "r",
    configHash: "abcdef12",
    metrics,
    features: { count: 1, categoricalCount: 0, signature: featureSignature(features), list: features },
    ...extra,
  });
}
const byId = (r: ReturnType<typeof promotionChecklist>) => Object.fromEntries(r.criteria.map((c) => [c.id, c.result]));

describe("promotionChecklist", () => {
  it("passes a candidate that is better, not overfit, calibrated at least as well, with a passing gauntlet", () => {
    const champion = card({ auc: 0.8, calibrationMae: 0.03 });
    const candidate = card({ auc: 0.82, calibrationMae: 0.025, validation: { auc: 0.83 } }, { gauntlet: gate("PASS") });
    const r = promotionChecklist(candidate, champion);
    expect(byId(r)).toEqual({ target: "PASS", gap: "PASS", calibration: "PASS", gauntlet: "PASS" });
    expect(r.result).toBe("PASS");
    expect(r.criteria[0]!.detail).toBe("AUC 0.8200 against the champion's 0.8000 (higher is better).");
  });

  it("fails each criterion on its own numbers, naming the failing gate", () => {
    const champion = card({ auc: 0.8, calibrationMae: 0.03 });
    const candidate = card({ auc: 0.79, calibrationMae: 0.04, validation: { auc: 0.79 + MAX_VALIDATION_GAP + 0.01 } }, { gauntlet: gate("FAIL") });
    const r = promotionChecklist(candidate, champion);
    expect(byId(r)).toEqual({ target: "FAIL", gap: "FAIL", calibration: "FAIL", gauntlet: "FAIL" });
    expect(r.criteria.find((c) => c.id === "gauntlet")!.detail).toBe("Failing: label permutation.");
    expect(r.result).toBe("FAIL");
  });

  it("reads lower as better for a count model's deviance", () => {
    expect(byId(promotionChecklist(card({ poissonDeviance: 0.95 }), card({ poissonDeviance: 0.9934 }))).target).toBe("PASS");
    expect(byId(promotionChecklist(card({ poissonDeviance: 1.1 }), card({ poissonDeviance: 0.9934 }))).target).toBe("FAIL");
  });

  it("is UNKNOWN, never PASS, where a card lacks the figure: no champion, no validation, no calibration, no gauntlet", () => {
    const r = promotionChecklist(card({ auc: 0.9 }), null);
    expect(byId(r)).toEqual({ target: "UNKNOWN", gap: "UNKNOWN", calibration: "UNKNOWN", gauntlet: "UNKNOWN" });
    expect(r.result).toBe("UNKNOWN");
    expect(promotionChecklist(card({ auc: 0.9, brier: 0.1 }), card({ auc: 0.8, calibrationMae: 0.02 })).criteria.find((c) => c.id === "calibration")!.result).toBe("UNKNOWN");
  });
});

describe("metricDeltas", () => {
  it("puts the figures both cards carry side by side; a missing one has no change", () => {
    const rows = metricDeltas(card({ auc: 0.82, brier: 0.1 }), card({ auc: 0.8 }));
    expect(rows.find((r) => r.name === "AUC")).toMatchObject({ candidate: 0.82, champion: 0.8, higherIsBetter: true });
    expect(rows.find((r) => r.name === "AUC")!.change).toBeCloseTo(0.02, 12);
    expect(rows.find((r) => r.name === "Brier")).toMatchObject({ candidate: 0.1, champion: null, change: null });
  });
});
