import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseScorerCsv } from "./csv-rows";
import { fitEnsemble, type EnsembleParams } from "./ensemble";
import { buildFeatureVector, FEATURE_NAMES, withGroupSizes } from "./features";
import { logit } from "./gbdt";
import { buildModel, contributionsByChannel, ModelArtifactError, parseModel, scoreRecords, serialiseModel, type ReferenceScorer } from "./model";
import { splitParts } from "./split";

const records = withGroupSizes(parseScorerCsv(readFileSync(path.resolve(import.meta.dirname, "../../data/spaceship-titanic/train.csv"), "utf8")));
const { training, test } = splitParts(records, 42);
const trainingRows = training.slice(0, 1500);

const SMALL: EnsembleParams = {
  members: 3,
  memberSampling: "subsample",
  memberSampleFraction: 0.8,
  booster: { rounds: 25, learningRate: 0.1, maxDepth: 3, maxBins: 32, minChildWeight: 1, l2: 1, minSplitGain: 0, rowSubsample: 0.8, columnSubsample: 0.8 },
};

function trainSmall(seed: number): ReferenceScorer {
  const fitted = fitEnsemble({
    matrix: trainingRows.map(buildFeatureVector),
    labels: trainingRows.map((r) => (r.label ? 1 : 0)),
    params: SMALL,
    seed,
  });
  const metrics = { rows: 0, auc: 0.5, brier: 0.25, accuracy: 0.5 };
  return buildModel({
    hyperparameters: SMALL,
    seed,
    training: {
      dataFile: "data/spaceship-titanic/train.csv",
      dataSha256: "0".repeat(64),
      fileRows: records.length,
      trainingRows: trainingRows.length,
      trainingPositiveRate: 0.5,
      calibrationRows: 0,
      testRows: 0,
      split: { training: 0.6, calibration: 0.2, test: 0.2, seed: 42, unit: "passenger group" },
      folds: { count: 5, unit: "passenger group", rule: "GroupKFold: largest group first into the fold with fewest rows" },
      groupSize: "rows sharing the PassengerId group prefix in the whole file",
    },
    metrics: { folds: [], foldMean: { auc: 0.5, accuracy: 0.5, brier: 0.25 }, test: metrics },
    binEdges: fitted.binEdges,
    members: fitted.members,
  });
}

const model = trainSmall(7);
const sample = [...trainingRows, ...test.slice(0, 300)];

describe("scoreRecords on real rows (a small in-test model)", () => {
  const outputs = scoreRecords(model, sample);

  it("adds up: base + Σ byFeature = logit(pModel)", () => {
    for (const output of outputs) {
      const sum = output.logitContributions.base + Object.values(output.logitContributions.byFeature).reduce((s, c) => s + c, 0);
      expect(Math.abs(sum - logit(output.pModel))).toBeLessThan(1e-9);
      expect(Object.keys(output.logitContributions.byFeature)).toEqual([...FEATURE_NAMES]);
    }
  });

  it("defines pModel as σ(mean of the member logits)", () => {
    for (const output of outputs) {
      expect(output.ensemble).toHaveLength(3);
      const meanLogit = output.ensemble.reduce((s, p) => s + logit(p), 0) / output.ensemble.length;
      expect(Math.abs(meanLogit - logit(output.pModel))).toBeLessThan(1e-9);
    }
  });

  it("uses the training mean of the logit as base (the SHAP reference point)", () => {
    const trainingOutputs = outputs.slice(0, trainingRows.length);
    const meanLogit = trainingOutputs.reduce((s, o) => s + logit(o.pModel), 0) / trainingOutputs.length;
    for (const output of outputs) expect(Math.abs(output.logitContributions.base - meanLogit)).toBeLessThan(1e-9);
  });

  it("scores a null spend differently from a 0 spend", () => {
    // Build a contrast on a channel the trees use: look for a record whose null → 0 changes the logit.
    const withNull = sample.filter((r) => Object.values(r.spend).some((v) => v === null));
    expect(withNull.length).toBeGreaterThan(10);
    const changed = withNull.filter((record) => {
      const zeroed = { ...record, spend: Object.fromEntries(Object.entries(record.spend).map(([c, v]) => [c, v ?? 0])) };
      const [a, b] = scoreRecords(model, [record, zeroed]);
      return a!.pModel !== b!.pModel;
    });
    expect(changed.length).toBeGreaterThan(0);
  });

  it("sums channel contributions from the feature → channel map", () => {
    const byChannel = contributionsByChannel({ RoomService_log1p: 0.5, RoomService_missing: 0.25, TotalSpend_log1p: 9, Spa_log1p: -1 });
    expect(byChannel).toEqual({ RoomService: 0.75, FoodCourt: 0, ShoppingMall: 0, Spa: -1, VRDeck: 0 });
  });
});

describe("the artifact", () => {
  const json = serialiseModel(model);

  it("round-trips: parse(serialise) scores identically and re-serialises to the same bytes", () => {
    const reloaded = parseModel(json);
    expect(serialiseModel(reloaded)).toBe(json);
    expect(scoreRecords(reloaded, sample)).toEqual(scoreRecords(model, sample));
  });

  it("is byte-deterministic for a seed and changes with it", () => {
    expect(serialiseModel(trainSmall(7))).toBe(json);
    expect(serialiseModel(trainSmall(8))).not.toBe(json);
    expect(model.scorerVersion).toMatch(/^gbdt-ens-[0-9a-f]{12}$/);
  });

  it("refuses an edited artifact, a foreign feature list and non-JSON", () => {
    const edited = json.replace(/"leafValue":\[(-?\d+)/, (_, v: string) => `"leafValue":[${Number(v) + 1}`);
    expect(edited).not.toBe(json);
    expect(() => parseModel(edited)).toThrow(/does not match the artifact's content/);
    const foreign = json.replace('"name":"Age"', '"name":"AgeYears"');
    expect(() => parseModel(foreign)).toThrow(ModelArtifactError);
    expect(() => parseModel("{")).toThrow(/not JSON/);
    expect(() => parseModel(JSON.stringify({ format: "sentinel-reference-scorer/1" }))).toThrow(/invalid scorer artifact/);
  });
});
