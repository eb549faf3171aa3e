/** The committed artifact (models/reference-scorer.json) as the console loads it. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseScorerCsv } from "./csv-rows";
import { scoredRecordSchema } from "@/lib/gating/schemas";
import { SPEND_FEATURE_CHANNELS, withGroupSizes } from "./features";
import { logit } from "./gbdt";
import { contributionsByChannel, parseModel, scoreRecords } from "./model";
import { splitParts } from "./split";
import { MIN_MEMBERS, QUALITY_BAR } from "./train";

const root = path.resolve(import.meta.dirname, "../..");
const artifactText = readFileSync(path.join(root, "models/reference-scorer.json"), "utf8");
const csv = readFileSync(path.join(root, "data/spaceship-titanic/train.csv"));
const model = parseModel(artifactText);
const records = withGroupSizes(parseScorerCsv(csv.toString("utf8")));
const CANARIES = ["0253_01", "0254_01", "0257_01"];

describe("models/reference-scorer.json", () => {
  it("loads, was trained on this data, and records a model meeting the §5a bar", () => {
    const { artifact } = model;
    expect(artifact.members.length).toBeGreaterThanOrEqual(MIN_MEMBERS);
    expect(artifact.training.dataSha256).toBe(createHash("sha256").update(csv).digest("hex"));
    expect(artifact.metrics.foldMean.auc).toBeGreaterThanOrEqual(QUALITY_BAR.auc);
    expect(artifact.metrics.foldMean.accuracy).toBeGreaterThanOrEqual(QUALITY_BAR.accuracy);
    expect(artifact.featureChannels.Spa_missing).toBe("Spa");
  });

  it("scores the canaries with additive contributions", () => {
    const canaries = CANARIES.map((id) => records.find((r) => r.recordId === id)!);
    const outputs = scoreRecords(model, canaries);
    expect(outputs.map((o) => o.recordId)).toEqual(CANARIES);
    for (const output of outputs) {
      expect(output.pModel).toBeGreaterThan(0);
      expect(output.pModel).toBeLessThan(1);
      expect(output.ensemble.length).toBeGreaterThanOrEqual(MIN_MEMBERS);
      expect(output.scorerVersion).toBe(model.scorerVersion);
      const { base, byFeature } = output.logitContributions;
      const sum = base + Object.values(byFeature).reduce((s, c) => s + c, 0);
      expect(Math.abs(sum - logit(output.pModel))).toBeLessThan(1e-9);
    }
    // 0257_01's missing ShoppingMall is kept missing: its indicator, not a zero, is what the trees see.
    const canary0257 = outputs[2]!;
    const zeroed = scoreRecords(model, [{ ...canaries[2]!, spend: { ...canaries[2]!.spend, ShoppingMall: 0 } }])[0]!;
    expect(canary0257.pModel).not.toBe(zeroed.pModel);
    expect(contributionsByChannel(canary0257.logitContributions.byFeature).ShoppingMall).not.toBe(
      contributionsByChannel(zeroed.logitContributions.byFeature).ShoppingMall,
    );
  });

  it("produces records the gating core accepts (schema incl. its additivity rule)", () => {
    const canaries = CANARIES.map((id) => records.find((r) => r.recordId === id)!);
    scoreRecords(model, canaries).forEach((output, i) => {
      const { label: _label, ...record } = canaries[i]!;
      const { recordId: _id, ...scores } = output;
      const parsed = scoredRecordSchema.safeParse({ ...record, ...scores });
      expect(parsed.error?.issues ?? []).toEqual([]);
    });
    expect(SPEND_FEATURE_CHANNELS).toEqual({
      RoomService_log1p: "RoomService",
      FoodCourt_log1p: "FoodCourt",
      ShoppingMall_log1p: "ShoppingMall",
      Spa_log1p: "Spa",
      VRDeck_log1p: "VRDeck",
      RoomService_missing: "RoomService",
      FoodCourt_missing: "FoodCourt",
      ShoppingMall_missing: "ShoppingMall",
      Spa_missing: "Spa",
      VRDeck_missing: "VRDeck",
    });
  });

  it("adds up on every training row and has their mean logit as its base", () => {
    const { training } = splitParts(records, model.artifact.training.split.seed);
    expect(training).toHaveLength(model.artifact.training.trainingRows);
    const outputs = scoreRecords(model, training);
    const base = outputs[0]!.logitContributions.base;
    let worst = 0;
    let logitSum = 0;
    for (const output of outputs) {
      expect(output.logitContributions.base).toBe(base);
      const sum = output.logitContributions.base + Object.values(output.logitContributions.byFeature).reduce((s, c) => s + c, 0);
      worst = Math.max(worst, Math.abs(sum - logit(output.pModel)));
      logitSum += logit(output.pModel);
    }
    expect(worst).toBeLessThan(1e-9);
    expect(Math.abs(base - logitSum / outputs.length)).toBeLessThan(1e-9);
  });
});
