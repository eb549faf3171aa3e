/**
 * The reference scorer as a value: the committed JSON artifact (trees, bin edges and
 * metadata), its byte-deterministic serialisation, zod-validated parsing, and scoring.
 * Scoring is pure (no I/O, clock or randomness) and never retrains.
 *
 * Output per record (spec/gating.md §1.1, §5a):
 * - `ensemble` = the member probabilities σ(member logit);
 * - `pModel` = σ(mean of the member logits);
 * - `logitContributions.base` = mean of the member bases = the training-set mean of the
 *   ensemble logit (each member's node values are means over the training rows, see
 *   gbdt.ts), and `byFeature` = the mean of the members' Saabas contributions, so
 *   `base + Σ byFeature = logit(pModel)` up to float rounding (≈1e-12).
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { decodeEnsemble, scoreVector, type Ensemble, type EnsembleParams } from "./ensemble";
import {
  buildFeatureVector,
  FEATURE_CHANNELS,
  FEATURES,
  SPEND_CHANNELS,
  withGroupSizes,
  type FeatureDefinition,
  type ScorerRecord,
  type SpendChannel,
} from "./features";
import type { ScoredRecord as GatingScoredRecord } from "@/lib/gating/schemas";
import { sigmoid, VALUE_SCALE, type CompactBooster, type CompactTree } from "./gbdt";
import type { BinaryMetrics } from "./metrics";

const ARTIFACT_FORMAT = "sentinel-reference-scorer/1";
const SCORER_VERSION_PREFIX = "gbdt-ens-";

export type FoldMean = { auc: number; accuracy: number; brier: number };

export type ScorerMetrics = {
  /** Per fold of the GroupKFold evaluation on the training split. */
  folds: BinaryMetrics[];
  foldMean: FoldMean;
  /** The final model on the §7 test part. */
  test: BinaryMetrics;
};

export type TrainingProvenance = {
  dataFile: string;
  dataSha256: string;
  /** Rows in the file. */
  fileRows: number;
  /** Rows the final model was fitted on (the training part). */
  trainingRows: number;
  trainingPositiveRate: number;
  /** Rows of the calibration part (not seen by the scorer). */
  calibrationRows: number;
  /** Rows of the test part (not seen by the scorer; its metrics). */
  testRows: number;
  split: { training: number; calibration: number; test: number; seed: number; unit: "passenger group" };
  folds: { count: number; unit: "passenger group"; rule: "GroupKFold: largest group first into the fold with fewest rows" };
  /** How `context.GroupSize` was filled during training. */
  groupSize: "rows sharing the PassengerId group prefix in the whole file";
};

/** The artifact exactly as stored (and as validated on load). */
export type ModelArtifact = {
  format: typeof ARTIFACT_FORMAT;
  scorerVersion: string;
  features: FeatureDefinition[];
  featureChannels: Record<string, SpendChannel | null>;
  channels: SpendChannel[];
  hyperparameters: EnsembleParams;
  seed: number;
  training: TrainingProvenance;
  metrics: ScorerMetrics;
  /** Tree leaf values and initial values are integers in units of 1/valueScale logit. */
  valueScale: number;
  binEdges: number[][];
  members: CompactBooster[];
};

export type ReferenceScorer = {
  artifact: ModelArtifact;
  ensemble: Ensemble;
  scorerVersion: string;
};

export type LogitContributions = { base: number; byFeature: Record<string, number> };

export type ScorerOutput = {
  recordId: string;
  pModel: number;
  ensemble: number[];
  logitContributions: LogitContributions;
  scorerVersion: string;
};

export class ModelArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelArtifactError";
  }
}

// ---------------------------------------------------------------- scoring

function scoreRecord(model: ReferenceScorer, record: ScorerRecord): ScorerOutput {
  const x = buildFeatureVector(record);
  const score = scoreVector(model.ensemble, x);
  const byFeature: Record<string, number> = {};
  model.artifact.features.forEach((feature, index) => {
    byFeature[feature.name] = score.contributions[index]!;
  });
  return {
    recordId: record.recordId,
    pModel: sigmoid(score.logit),
    ensemble: score.memberProbabilities,
    logitContributions: { base: score.base, byFeature },
    scorerVersion: model.scorerVersion,
  };
}

/**
 * Scores records independently. `context.GroupSize` is read from each record (missing
 * when absent): fill it with `withGroupSizes` over the whole file or batch first.
 */
export function scoreRecords(model: ReferenceScorer, records: readonly ScorerRecord[]): ScorerOutput[] {
  return records.map((record) => scoreRecord(model, record));
}

/**
 * Scores raw records and returns them as the gating core's scored records (spend and
 * context as given, plus pModel, ensemble, contributions and scorer version). Group sizes
 * are filled over `records` first, so pass the whole file, not one batch.
 */
export function scoreForGating<R extends ScorerRecord>(model: ReferenceScorer, records: readonly R[]): (R & Omit<ScorerOutput, "recordId">)[] {
  return withGroupSizes(records).map((record) => {
    const { recordId: _recordId, ...scores } = scoreRecord(model, record);
    return { ...record, ...scores };
  });
}

/** `scoreForGating`, keeping only the scored-record fields (no CSV line, no label). */
export function scoredRecordsFor(model: ReferenceScorer, records: readonly ScorerRecord[]): GatingScoredRecord[] {
  return scoreForGating(model, records).map(({ recordId, spend, context, pModel, ensemble, logitContributions, scorerVersion }) => ({
    recordId,
    spend,
    context,
    pModel,
    ensemble,
    logitContributions,
    scorerVersion,
  }));
}

/** Sum of the contributions of the features derived only from each spend channel (gating §1.1). */
export function contributionsByChannel(
  byFeature: Readonly<Record<string, number>>,
  featureChannels: Readonly<Record<string, SpendChannel | null>> = FEATURE_CHANNELS,
): Record<SpendChannel, number> {
  const sums = Object.fromEntries(SPEND_CHANNELS.map((channel) => [channel, 0])) as Record<SpendChannel, number>;
  for (const [feature, value] of Object.entries(byFeature)) {
    const channel = featureChannels[feature];
    if (channel) sums[channel] += value;
  }
  return sums;
}

// ---------------------------------------------------------------- serialisation

function treeJson(tree: CompactTree): string {
  return JSON.stringify({
    feature: tree.feature,
    cut: tree.cut,
    missingLeft: tree.missingLeft,
    leafValue: tree.leafValue,
    leafCount: tree.leafCount,
  });
}

function metricsObject(metrics: BinaryMetrics): BinaryMetrics {
  return { rows: metrics.rows, auc: metrics.auc, brier: metrics.brier, accuracy: metrics.accuracy };
}

/**
 * Fixed key order and one line per feature / bin-edge list / tree, so the file diffs
 * well. Numbers print by ECMAScript's shortest round-trip rule, which every engine
 * implements identically; tree values are integers by construction.
 */
function serialiseArtifact(artifact: ModelArtifact, withVersion: boolean): string {
  const params = artifact.hyperparameters;
  const booster = params.booster;
  const training = artifact.training;
  const lines: string[] = [];
  const field = (key: string, value: string): void => {
    lines.push(`${JSON.stringify(key)}: ${value}`);
  };
  field("format", JSON.stringify(artifact.format));
  if (withVersion) field("scorerVersion", JSON.stringify(artifact.scorerVersion));
  field("features", `[\n${artifact.features.map((f) => `  ${JSON.stringify({ name: f.name, kind: f.kind, channel: f.channel })}`).join(",\n")}\n]`);
  field("featureChannels", JSON.stringify(Object.fromEntries(artifact.features.map((f) => [f.name, artifact.featureChannels[f.name] ?? null]))));
  field("channels", JSON.stringify(artifact.channels));
  field(
    "hyperparameters",
    JSON.stringify({
      members: params.members,
      memberSampling: params.memberSampling,
      memberSampleFraction: params.memberSampleFraction,
      booster: {
        rounds: booster.rounds,
        learningRate: booster.learningRate,
        maxDepth: booster.maxDepth,
        maxBins: booster.maxBins,
        minChildWeight: booster.minChildWeight,
        l2: booster.l2,
        minSplitGain: booster.minSplitGain,
        rowSubsample: booster.rowSubsample,
        columnSubsample: booster.columnSubsample,
      },
    }),
  );
  field("seed", JSON.stringify(artifact.seed));
  field(
    "training",
    JSON.stringify({
      dataFile: training.dataFile,
      dataSha256: training.dataSha256,
      fileRows: training.fileRows,
      trainingRows: training.trainingRows,
      trainingPositiveRate: training.trainingPositiveRate,
      calibrationRows: training.calibrationRows,
      testRows: training.testRows,
      split: { training: training.split.training, calibration: training.split.calibration, test: training.split.test, seed: training.split.seed, unit: training.split.unit },
      folds: { count: training.folds.count, unit: training.folds.unit, rule: training.folds.rule },
      groupSize: training.groupSize,
    }),
  );
  field(
    "metrics",
    JSON.stringify({
      folds: artifact.metrics.folds.map(metricsObject),
      foldMean: { auc: artifact.metrics.foldMean.auc, accuracy: artifact.metrics.foldMean.accuracy, brier: artifact.metrics.foldMean.brier },
      test: metricsObject(artifact.metrics.test),
    }),
  );
  field("valueScale", JSON.stringify(artifact.valueScale));
  field("binEdges", `[\n${artifact.binEdges.map((edges) => `  ${JSON.stringify(edges)}`).join(",\n")}\n]`);
  field(
    "members",
    `[\n${artifact.members
      .map((member) => `{"initialValue": ${JSON.stringify(member.initialValue)}, "trees": [\n${member.trees.map(treeJson).join(",\n")}\n]}`)
      .join(",\n")}\n]`,
  );
  return `{\n${lines.join(",\n")}\n}\n`;
}

/** `gbdt-ens-` + the first 12 hex digits of the sha256 of the artifact without its version field. */
function computeScorerVersion(artifact: ModelArtifact): string {
  const digest = createHash("sha256").update(serialiseArtifact(artifact, false), "utf8").digest("hex");
  return `${SCORER_VERSION_PREFIX}${digest.slice(0, 12)}`;
}

export function serialiseModel(model: ReferenceScorer): string {
  return serialiseArtifact(model.artifact, true);
}

export type BuildModelInput = Omit<ModelArtifact, "format" | "scorerVersion" | "features" | "featureChannels" | "channels" | "valueScale">;

/** Assembles an artifact from a fitted ensemble and its metadata, stamps its version and decodes it. */
export function buildModel(input: BuildModelInput): ReferenceScorer {
  const draft: ModelArtifact = {
    format: ARTIFACT_FORMAT,
    scorerVersion: "",
    features: FEATURES.map((f) => ({ ...f })),
    featureChannels: { ...FEATURE_CHANNELS },
    channels: [...SPEND_CHANNELS],
    hyperparameters: input.hyperparameters,
    seed: input.seed,
    training: input.training,
    metrics: input.metrics,
    valueScale: VALUE_SCALE,
    binEdges: input.binEdges,
    members: input.members,
  };
  const artifact = { ...draft, scorerVersion: computeScorerVersion(draft) };
  // Going through the text makes the in-memory model exactly the one a reader loads.
  return parseModel(serialiseArtifact(artifact, true));
}

// ---------------------------------------------------------------- parsing

const integer = z.number().int();
const finite = z.number().refine(Number.isFinite, "must be finite");
const channelSchema = z.enum(SPEND_CHANNELS);
const metricsSchema = z.strictObject({
  rows: integer.nonnegative(),
  auc: finite,
  brier: finite,
  accuracy: finite,
});
const treeSchema = z.strictObject({
  feature: z.array(integer.min(-1)).min(1),
  cut: z.array(integer.nonnegative()),
  missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
  leafValue: z.array(integer),
  leafCount: z.array(integer.nonnegative()),
});
const artifactSchema = z.strictObject({
  format: z.literal(ARTIFACT_FORMAT),
  scorerVersion: z.string().regex(/^gbdt-ens-[0-9a-f]{12}$/),
  features: z.array(
    z.strictObject({
      name: z.string(),
      kind: z.enum(["log1p", "indicator", "count", "numeric", "ordinal", "one-hot"]),
      channel: channelSchema.nullable(),
    }),
  ),
  featureChannels: z.record(z.string(), channelSchema.nullable()),
  channels: z.array(channelSchema),
  hyperparameters: z.strictObject({
    members: integer.positive(),
    memberSampling: z.enum(["bootstrap", "subsample"]),
    memberSampleFraction: finite,
    booster: z.strictObject({
      rounds: integer.nonnegative(),
      learningRate: finite,
      maxDepth: integer.nonnegative(),
      maxBins: integer.min(2).max(254),
      minChildWeight: finite,
      l2: finite,
      minSplitGain: finite,
      rowSubsample: finite,
      columnSubsample: finite,
    }),
  }),
  seed: integer.nonnegative(),
  training: z.strictObject({
    dataFile: z.string(),
    dataSha256: z.string().regex(/^[0-9a-f]{64}$/),
    fileRows: integer.nonnegative(),
    trainingRows: integer.nonnegative(),
    trainingPositiveRate: finite,
    calibrationRows: integer.nonnegative(),
    testRows: integer.nonnegative(),
    split: z.strictObject({ training: finite, calibration: finite, test: finite, seed: integer.nonnegative(), unit: z.literal("passenger group") }),
    folds: z.strictObject({
      count: integer.nonnegative(),
      unit: z.literal("passenger group"),
      rule: z.literal("GroupKFold: largest group first into the fold with fewest rows"),
    }),
    groupSize: z.literal("rows sharing the PassengerId group prefix in the whole file"),
  }),
  metrics: z.strictObject({
    folds: z.array(metricsSchema),
    foldMean: z.strictObject({ auc: finite, accuracy: finite, brier: finite }),
    test: metricsSchema,
  }),
  valueScale: z.literal(VALUE_SCALE),
  binEdges: z.array(z.array(finite)),
  members: z.array(z.strictObject({ initialValue: integer, trees: z.array(treeSchema) })).min(1),
});

/** Parses and validates an artifact; checks it matches this code's features and its own version hash. */
export function parseModel(json: string): ReferenceScorer {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ModelArtifactError(`not JSON: ${(error as Error).message}`);
  }
  const parsed = artifactSchema.safeParse(raw);
  if (!parsed.success) throw new ModelArtifactError(`invalid scorer artifact: ${z.prettifyError(parsed.error)}`);
  const artifact = parsed.data as ModelArtifact;

  const sameFeatures =
    artifact.features.length === FEATURES.length &&
    FEATURES.every((f, i) => {
      const stored = artifact.features[i]!;
      return stored.name === f.name && stored.kind === f.kind && stored.channel === f.channel;
    });
  if (!sameFeatures) throw new ModelArtifactError("the artifact's features differ from this code's feature builder (retrain the scorer)");
  const storedChannels = Object.entries(artifact.featureChannels);
  const sameChannels =
    storedChannels.length === FEATURES.length && FEATURES.every((f) => artifact.featureChannels[f.name] === FEATURE_CHANNELS[f.name]);
  if (!sameChannels) throw new ModelArtifactError("the artifact's feature → channel map differs from this code's");
  if (artifact.channels.join() !== SPEND_CHANNELS.join()) throw new ModelArtifactError("the artifact's channel list differs from this code's");
  if (artifact.binEdges.length !== artifact.features.length) {
    throw new ModelArtifactError(`binEdges has ${artifact.binEdges.length} lists for ${artifact.features.length} features`);
  }
  artifact.binEdges.forEach((edges, feature) => {
    for (let k = 1; k < edges.length; k++) {
      if (!(edges[k]! > edges[k - 1]!)) throw new ModelArtifactError(`binEdges[${feature}] is not strictly ascending`);
    }
  });
  for (const member of artifact.members) {
    for (const tree of member.trees) {
      for (const feature of tree.feature) {
        if (feature >= artifact.features.length) throw new ModelArtifactError(`a tree splits on feature ${feature}, beyond the feature list`);
      }
    }
  }
  const version = computeScorerVersion(artifact);
  if (version !== artifact.scorerVersion) {
    throw new ModelArtifactError(`scorerVersion ${artifact.scorerVersion} does not match the artifact's content (${version})`);
  }
  let ensemble: Ensemble;
  try {
    ensemble = decodeEnsemble({ binEdges: artifact.binEdges, members: artifact.members });
  } catch (error) {
    throw new ModelArtifactError(`malformed tree: ${(error as Error).message}`);
  }
  return { artifact, ensemble, scorerVersion: artifact.scorerVersion };
}
