/**
 * The whole training recipe of the reference scorer, as one deterministic function of
 * (CSV bytes, seeds, hyperparameters) → artifact text. The training CLI and calibration
 * both call it, so either regenerates the committed artifact byte for byte. No file or
 * clock access here; the caller reads the file and times the run.
 *
 * Recipe: parse (§1.1a) → fill GroupSize from the whole file → the §7 parts by seeded hash
 * of the passenger group (training 60 / calibration 20 / test 20) → 5-fold GroupKFold on
 * the training part, fitting a full ensemble per fold (kept: calibration scores the
 * training part out of fold with them) → fit the final ensemble on the training part →
 * test metrics → artifact. The calibration and test parts are never seen by the scorer.
 */
import { createHash } from "node:crypto";
import { parseScorerCsv, type LabelledScorerRecord } from "./csv-rows";
import { decodeEnsemble, ensembleLogits, fitEnsemble, type CompactEnsemble, type EnsembleParams } from "./ensemble";
import { buildFeatureVector, withGroupSizes } from "./features";
import { sigmoid } from "./gbdt";
import { binaryMetrics, type BinaryMetrics } from "./metrics";
import { buildModel, serialiseModel, type BuildModelInput, type FoldMean, type ReferenceScorer, type ScorerMetrics } from "./model";
import { deriveSeed } from "./prng";
import { groupKFold, SPLIT_FRACTIONS, splitParts } from "./split";

/** Chosen on the 5 group folds (see the README table in the report): depth 4, 300 rounds, lr 0.05. */
export const DEFAULT_ENSEMBLE_PARAMS: EnsembleParams = Object.freeze({
  members: 10,
  memberSampling: "subsample",
  memberSampleFraction: 0.8,
  booster: Object.freeze({
    rounds: 300,
    learningRate: 0.05,
    maxDepth: 4,
    maxBins: 64,
    minChildWeight: 1,
    l2: 1,
    minSplitGain: 0,
    rowSubsample: 0.8,
    columnSubsample: 0.8,
  }),
}) as EnsembleParams;

/** spec/gating.md §5a: required mean over the 5 group folds. */
export const QUALITY_BAR = Object.freeze({ auc: 0.895, accuracy: 0.8 });
export const FOLD_COUNT = 5;
export const MIN_MEMBERS = 10;

export type TrainingProgress =
  | { stage: "parsed"; rows: number; trainingRows: number; calibrationRows: number; testRows: number }
  | { stage: "fold"; fold: number; of: number; metrics: BinaryMetrics }
  | { stage: "final" };

export type TrainReferenceScorerInput = {
  /** The CSV file's bytes (hashed as they are). */
  csv: Uint8Array;
  /** Recorded in the artifact, e.g. `data/spaceship-titanic/train.csv`. */
  dataFile: string;
  /** Seeds the ensembles (fold k uses deriveSeed(seed, 1000 + k)). */
  seed: number;
  /** Seeds the §7 split hash; calibration must use the same value. */
  splitSeed: number;
  params?: EnsembleParams;
  onProgress?: (progress: TrainingProgress) => void;
};

export type TrainingResult = {
  model: ReferenceScorer;
  /** The artifact text (what `serialiseModel(model)` returns). */
  json: string;
  metrics: ScorerMetrics;
  meetsQualityBar: boolean;
  /** The fold ensembles as scorers (same metadata as `model`), for out-of-fold scores of the training part. */
  foldModels: ReferenceScorer[];
  /** Fold index of each training-part record id. */
  foldOfRecord: ReadonlyMap<string, number>;
};

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundMetrics(metrics: BinaryMetrics): BinaryMetrics {
  return { rows: metrics.rows, auc: round6(metrics.auc), brier: round6(metrics.brier), accuracy: round6(metrics.accuracy) };
}

type Labelled = { matrix: Float64Array[]; labels: number[]; outcomes: boolean[] };

function toMatrix(records: readonly LabelledScorerRecord[]): Labelled {
  const outcomes = records.map((record) => {
    if (record.label === null) throw new Error(`record ${record.recordId} has no Transported label; training needs every label`);
    return record.label;
  });
  return { matrix: records.map(buildFeatureVector), labels: outcomes.map((y) => (y ? 1 : 0)), outcomes };
}

function evaluate(params: EnsembleParams, seed: number, train: Labelled, test: Labelled): { metrics: BinaryMetrics; fitted: CompactEnsemble } {
  const fitted = fitEnsemble({ matrix: train.matrix, labels: train.labels, params, seed });
  const ensemble = decodeEnsemble(fitted);
  const probabilities = test.matrix.map((x) => sigmoid(ensembleLogits(ensemble, x).logit));
  return { metrics: binaryMetrics(probabilities, test.outcomes), fitted };
}

function subset(data: Labelled, keep: (index: number) => boolean): Labelled {
  const out: Labelled = { matrix: [], labels: [], outcomes: [] };
  data.matrix.forEach((x, i) => {
    if (!keep(i)) return;
    out.matrix.push(x);
    out.labels.push(data.labels[i]!);
    out.outcomes.push(data.outcomes[i]!);
  });
  return out;
}

export function trainReferenceScorer(input: TrainReferenceScorerInput): TrainingResult {
  const params = input.params ?? DEFAULT_ENSEMBLE_PARAMS;
  if (params.members < MIN_MEMBERS) throw new RangeError(`the reference scorer needs ≥ ${MIN_MEMBERS} members (spec §5a), got ${params.members}`);
  const dataSha256 = createHash("sha256").update(input.csv).digest("hex");
  const records = withGroupSizes(parseScorerCsv(new TextDecoder("utf-8", { fatal: true }).decode(input.csv)));
  const { training, calibration, test } = splitParts(records, input.splitSeed);
  input.onProgress?.({ stage: "parsed", rows: records.length, trainingRows: training.length, calibrationRows: calibration.length, testRows: test.length });

  const trainingData = toMatrix(training);
  const testData = toMatrix(test);
  const foldOf = groupKFold(
    training.map((record) => record.recordId),
    FOLD_COUNT,
  );
  const folds: BinaryMetrics[] = [];
  const foldEnsembles: CompactEnsemble[] = [];
  for (let fold = 0; fold < FOLD_COUNT; fold++) {
    const { metrics, fitted } = evaluate(
      params,
      deriveSeed(input.seed, 1000 + fold),
      subset(trainingData, (i) => foldOf[i] !== fold),
      subset(trainingData, (i) => foldOf[i] === fold),
    );
    folds.push(roundMetrics(metrics));
    foldEnsembles.push(fitted);
    input.onProgress?.({ stage: "fold", fold: fold + 1, of: FOLD_COUNT, metrics });
  }
  const foldMean: FoldMean = {
    auc: round6(folds.reduce((sum, m) => sum + m.auc, 0) / FOLD_COUNT),
    accuracy: round6(folds.reduce((sum, m) => sum + m.accuracy, 0) / FOLD_COUNT),
    brier: round6(folds.reduce((sum, m) => sum + m.brier, 0) / FOLD_COUNT),
  };

  input.onProgress?.({ stage: "final" });
  const fitted = fitEnsemble({ matrix: trainingData.matrix, labels: trainingData.labels, params, seed: input.seed });
  const final = decodeEnsemble(fitted);
  const testMetrics = roundMetrics(
    binaryMetrics(
      testData.matrix.map((x) => sigmoid(ensembleLogits(final, x).logit)),
      testData.outcomes,
    ),
  );
  const metrics: ScorerMetrics = { folds, foldMean, test: testMetrics };
  const positives = trainingData.labels.reduce((sum, y) => sum + y, 0);
  const metadata: Omit<BuildModelInput, "binEdges" | "members"> = {
    hyperparameters: params,
    seed: input.seed,
    training: {
      dataFile: input.dataFile,
      dataSha256,
      fileRows: records.length,
      trainingRows: training.length,
      trainingPositiveRate: round6(positives / training.length),
      calibrationRows: calibration.length,
      testRows: test.length,
      split: { ...SPLIT_FRACTIONS, seed: input.splitSeed, unit: "passenger group" as const },
      folds: { count: FOLD_COUNT, unit: "passenger group", rule: "GroupKFold: largest group first into the fold with fewest rows" },
      groupSize: "rows sharing the PassengerId group prefix in the whole file",
    },
    metrics,
  };
  const model = buildModel({ ...metadata, binEdges: fitted.binEdges, members: fitted.members });
  return {
    model,
    json: serialiseModel(model),
    metrics,
    foldModels: foldEnsembles.map((e) => buildModel({ ...metadata, binEdges: e.binEdges, members: e.members })),
    foldOfRecord: new Map(training.map((record, i) => [record.recordId, foldOf[i] as number])),
    meetsQualityBar: foldMean.auc >= QUALITY_BAR.auc && foldMean.accuracy >= QUALITY_BAR.accuracy,
  };
}
