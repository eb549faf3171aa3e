/**
 * The committed cards of the console's own models (models/model-cards.json, written by
 * `npm run calibrate`) against the shipped data, recomputed here without the card code:
 * AUC by counting every positive–negative pair, Brier by its sum, the reliability bins by
 * their own loop, from the committed scorer's and policy's probabilities on the test part.
 * The gauntlet's stored figures are checked for what follows from them (the p-value from
 * the permuted AUCs, the gates from their rules); recomputing the refits is
 * `npm run calibrate -- --check` (minutes, not a unit test).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gateBatch } from "@/lib/gating";
import { modelCardSchema, type ModelCard } from "@/lib/model-cards/card";
import { featureSignature } from "@/lib/model-cards/signature";
import { loadReferenceScorer, readOwnModelCards, readPolicyFile, scoredReferenceData, referenceRows } from "@/lib/reference-data";
import { FEATURES, groupOf } from "@/lib/scorer/features";
import { splitPartOf } from "@/lib/scorer/split";
import { GLM_FALLBACK_MODEL, REFERENCE_SCORER_MODEL } from "./model-cards";

const cards = readOwnModelCards().map((c) => modelCardSchema.parse(c));
const cardOf = (model: string) => cards.find((c) => c.model === model)!;
const sha256 = (bytes: string | Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

const scorer = loadReferenceScorer();
const splitSeed = scorer.artifact.training.split.seed;
const labelOf = new Map(referenceRows().map((r) => [r.recordId, r.label as boolean]));
const test = scoredReferenceData().filter((r) => splitPartOf(groupOf(r.recordId), splitSeed) === "test");
const labels = test.map((r) => labelOf.get(r.recordId)!);

/** P(positive scores above negative), ties ½, by brute force over all pairs. */
function pairwiseAuc(p: readonly number[], y: readonly boolean[]): number {
  const pos = p.filter((_, i) => y[i]);
  const neg = p.filter((_, i) => !y[i]);
  let wins = 0;
  for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

function bins(p: readonly number[], y: readonly boolean[]) {
  const out: { meanPredicted: number; observedRate: number; count: number }[] = [];
  for (let b = 0; b < 10; b++) {
    const inBin = p.map((v, i) => [v, y[i]] as const).filter(([v]) => (b === 9 ? v >= 0.9 : v >= b / 10 && v < (b + 1) / 10));
    if (inBin.length === 0) continue;
    out.push({
      meanPredicted: inBin.reduce((s, [v]) => s + v, 0) / inBin.length,
      observedRate: inBin.filter(([, t]) => t).length / inBin.length,
      count: inBin.length,
    });
  }
  return out;
}

function expectFiguresOf(card: ModelCard, p: readonly number[]) {
  const m = card.metrics as unknown as { auc: number; brier: number; testRows: number };
  expect(m.testRows).toBe(p.length);
  expect(m.auc).toBeCloseTo(pairwiseAuc(p, labels), 6);
  expect(m.brier).toBeCloseTo(p.reduce((s, v, i) => s + (v - (labels[i] ? 1 : 0)) ** 2, 0) / p.length, 6);
  const expected = bins(p, labels);
  const stored = card.calibration!.bins;
  expect(stored.map((b) => b.count)).toEqual(expected.map((b) => b.count));
  stored.forEach((b, i) => {
    expect(b.meanPredicted).toBeCloseTo(expected[i]!.meanPredicted, 6);
    expect(b.observedRate).toBeCloseTo(expected[i]!.observedRate, 6);
  });
  expect(card.calibration!.source).toBe("measured");
}

function expectGauntletFollowsFromItsFigures(card: ModelCard) {
  const perm = card.gauntlet.permutation as NonNullable<ModelCard["gauntlet"]["permutation"]> & { permutedAucs: number[] };
  expect(perm.permutations).toBeGreaterThanOrEqual(20);
  expect(perm.permutedAucs).toHaveLength(perm.permutations!);
  expect(perm.pValue).toBeCloseTo((1 + perm.permutedAucs.filter((a) => a >= perm.baselineAuc).length) / (1 + perm.permutations!), 6);
  expect(perm.baselineAuc).toBe(card.metrics.auc as number);
  expect(perm.gate).toBe(perm.pValue <= 0.05 && perm.degradation >= 0.05 ? "PASS" : "FAIL");
  const grid = card.gauntlet.shiftGrid!;
  expect(grid.rows.map((r) => r.shiftDays)).toEqual([0, 10, 20, 30]);
  expect(grid.gate).toBe(grid.rows.every((r) => r.deltaAuc <= 0.01 && (r.deltaLift10 ?? 0) <= 0.25) ? "PASS" : "FAIL");
  expect(grid.meaning).toMatch(/no time/);
  expect(card.gauntlet.reproducibility!.groupOverlap).toBe(0);
  expect(card.data.groupOverlap).toBe(0);
  expect(card.ablations.map((a) => a.variant)).toEqual(["full", "without the spend channels", "without context"]);
}

describe("the console's own model cards", () => {
  it("describe the committed scorer and policy (versions and checksums of the shipped files)", () => {
    const s = cardOf(REFERENCE_SCORER_MODEL);
    expect(s.version).toBe(scorer.scorerVersion);
    expect(s.artifacts.find((a) => a.uri === "models/reference-scorer.json")!.checksum).toBe(sha256(readFileSync("models/reference-scorer.json")));
    expect(s.artifacts.find((a) => a.uri === "data/spaceship-titanic/train.csv")!.checksum).toBe(sha256(readFileSync("data/spaceship-titanic/train.csv")));
    expect(s.features.signature).toBe(featureSignature(FEATURES.map((f) => ({ name: f.name, type: f.kind }))));
    const g = cardOf(GLM_FALLBACK_MODEL);
    expect(g.artifacts.find((a) => a.uri === "models/default-policy.json")!.checksum).toBe(sha256(readFileSync("models/default-policy.json")));
    expect(g.features.list!.map((f) => f.name)).toEqual(readPolicyFile().glm!.features);
  });

  it("the scorer's AUC, Brier and reliability bins are what the test part gives, recomputed independently", () => {
    expectFiguresOf(cardOf(REFERENCE_SCORER_MODEL), test.map((r) => r.pModel));
  });

  it("the GLM fallback's AUC, Brier and reliability bins are what the gating core's pGlm gives on the test part", () => {
    const policy = readPolicyFile();
    const pGlm: number[] = [];
    for (let i = 0; i < test.length; i += 100) {
      const out = gateBatch(test.slice(i, i + 100), policy, { batchId: `card-${i}`, now: "1970-01-01T00:00:00Z" });
      pGlm.push(...out.results.map((r) => r.pGlm as number));
    }
    expectFiguresOf(cardOf(GLM_FALLBACK_MODEL), pGlm);
  });

  it("carry a gauntlet whose gates and p-values follow from their own figures", () => {
    for (const card of cards) expectGauntletFollowsFromItsFigures(card);
  });
});
