/**
 * The model cards of the console's own models (spec model-cards.md §3), computed by
 * calibration on the shipped data's test part, never typed in: the reference scorer and
 * the GLM fallback. Every figure is measured on the test part (20 % of passenger groups,
 * seen by neither model); the gauntlet refits each model's own recipe on the training part:
 *
 *   shift grid:   the data has no time. Its one ordering is the passenger-group number
 *                 (`gggg` of `gggg_pp`); "moving the cutoff earlier" here removes the
 *                 highest-numbered 10 / 20 / 30 % of the training part's groups and refits.
 *                 As in seed 001, an earlier cutoff must not score better (ΔAUC ≤ 0.01,
 *                 Δlift@10 ≤ 0.25): a gain would say the ordering leaks the outcome.
 *   permutation:  the training labels shuffled (a new shuffle and fit seed per permutation),
 *                 refitted, scored against the real test labels; p = (1 + #{permuted AUC ≥
 *                 baseline}) / (1 + permutations). PASS at p ≤ 0.05 (the smallest p 20
 *                 permutations can give is 1/21) with a degradation ≥ 0.05.
 *   reproducibility: the same recipe and seed fitted again (ΔAUC, Δlift@10 ≤ 0.001), and
 *                 the passenger groups found in more than one part (must be 0).
 *   ablations:    the recipe refitted with the spend channels' features missing, and with
 *                 the context features missing (the trees and the GLM then cannot use them).
 *
 * Pure apart from the CPU time: a function of the calibration's result and the CSV bytes.
 * `scripts/calibrate.ts` writes the cards to `models/model-cards.json`; the server registers
 * a version it has not seen at start (lib/data/model-cards.ts).
 */
import { createHash } from "node:crypto";
import { readCsv, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { GLM_FALLBACK_MODEL, REFERENCE_SCORER_MODEL, type ModelCardInput } from "@/lib/model-cards/card";
import { classifierFigures, rankFigures, type ClassifierFigures } from "@/lib/model-cards/evaluation";
import { featureSignature } from "@/lib/model-cards/signature";
import { decodeEnsemble, ensembleLogits, fitEnsemble } from "@/lib/scorer/ensemble";
import { buildFeatureVector, FEATURES, groupOf } from "@/lib/scorer/features";
import { sigmoid } from "@/lib/scorer/gbdt";
import { scoreForGating } from "@/lib/scorer/model";
import { createPrng, deriveSeed } from "@/lib/scorer/prng";
import { SPLIT_FRACTIONS, splitParts } from "@/lib/scorer/split";
import { FOLD_COUNT } from "@/lib/scorer/train";
import { gateAll, type CalibrationResult } from "./calibrate";
import { applyStandardisation, linearPredictor } from "./elastic-net";
import { fitElasticNetByGroupCv, GLM_ALPHA, glmFeatureRows, type LabelledRow } from "./glm-fit";

export { GLM_FALLBACK_MODEL, REFERENCE_SCORER_MODEL };
export const MODEL_CARDS_FILE = "models/model-cards.json";
export const DECISION_THRESHOLD = 0.5;
export const PERMUTATIONS = 20;
export const SHIFT_PERCENTS = [10, 20, 30] as const;
/** seed 001's shift-grid tolerances: an earlier cutoff may not gain more than this */
const SHIFT_MAX_GAIN = { auc: 0.01, lift10: 0.25 };
const PERMUTATION_MAX_P = 0.05;
const PERMUTATION_MIN_DEGRADATION = 0.05;
const REPRODUCIBILITY_MAX_DELTA = 0.001;

type Mask = "spend" | "context";

/** One model's recipe: fit on (some of) the training part, return probabilities for the test part. */
interface Recipe {
  readonly trainingIds: readonly string[];
  readonly trainingLabels: readonly boolean[];
  readonly testLabels: readonly boolean[];
  fitPredict(options: { keep?: readonly boolean[]; labels?: readonly boolean[]; mask?: Mask; seed: number }): number[];
}

export type CardProgress = { model: string; step: string; done: number; of: number };

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

function masked(rows: readonly Float64Array[], columns: readonly number[]): Float64Array[] {
  if (columns.length === 0) return rows as Float64Array[];
  return rows.map((row) => {
    const copy = Float64Array.from(row);
    for (const c of columns) copy[c] = Number.NaN;
    return copy;
  });
}

function pick<T>(items: readonly T[], keep: readonly boolean[] | undefined): T[] {
  return keep ? items.filter((_, i) => keep[i]) : [...items];
}

/** A Fisher–Yates shuffle of the labels from its own seed. */
function shuffled(labels: readonly boolean[], seed: number): boolean[] {
  const out = [...labels];
  const prng = createPrng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Gauntlet {
  shiftRows: { shiftDays: number; auc: number; lift10: number; deltaAuc: number; deltaLift10: number }[];
  shiftGate: "PASS" | "FAIL";
  permutation: { baselineAuc: number; permutedMean: number; permutedAucs: number[]; degradation: number; pValue: number; permutations: number; gate: "PASS" | "FAIL" };
  reproducibility: { deltaAuc: number; deltaLift10: number; groupOverlap: number; gate: "PASS" | "FAIL" };
  ablations: { variant: string; auc: number }[];
}

function runGauntlet(model: string, recipe: Recipe, baseline: { auc: number; lift10: number }, seed: number, groupOverlap: number, permutations: number, onProgress?: (p: CardProgress) => void): Gauntlet {
  const total = SHIFT_PERCENTS.length + 1 + permutations + 2;
  let done = 0;
  const step = <T>(name: string, run: () => T): T => {
    const value = run();
    onProgress?.({ model, step: name, done: ++done, of: total });
    return value;
  };
  const rank = (p: number[]) => rankFigures(p, recipe.testLabels);

  // Groups by number, lowest first: the cut keeps the lowest-numbered share.
  const groups = [...new Set(recipe.trainingIds.map(groupOf))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const rankOfGroup = new Map(groups.map((g, i) => [g, i]));
  const shiftRows = [{ shiftDays: 0, auc: r6(baseline.auc), lift10: r6(baseline.lift10), deltaAuc: 0, deltaLift10: 0 }];
  for (const percent of SHIFT_PERCENTS) {
    const kept = Math.round(groups.length * (1 - percent / 100));
    const keep = recipe.trainingIds.map((id) => rankOfGroup.get(groupOf(id))! < kept);
    const f = step(`shift ${percent} %`, () => rank(recipe.fitPredict({ keep, seed })));
    shiftRows.push({ shiftDays: percent, auc: r6(f.auc), lift10: r6(f.lift10), deltaAuc: r6(f.auc - baseline.auc), deltaLift10: r6(f.lift10 - baseline.lift10) });
  }
  const shiftGate = shiftRows.every((r) => r.deltaAuc <= SHIFT_MAX_GAIN.auc && r.deltaLift10 <= SHIFT_MAX_GAIN.lift10) ? "PASS" : "FAIL";

  const again = step("reproducibility", () => rank(recipe.fitPredict({ seed })));
  const deltaAuc = r6(Math.abs(again.auc - baseline.auc));
  const deltaLift10 = r6(Math.abs(again.lift10 - baseline.lift10));
  const reproducibility = {
    deltaAuc,
    deltaLift10,
    groupOverlap,
    gate: deltaAuc <= REPRODUCIBILITY_MAX_DELTA && deltaLift10 <= REPRODUCIBILITY_MAX_DELTA && groupOverlap === 0 ? ("PASS" as const) : ("FAIL" as const),
  };

  const permutedAucs = Array.from({ length: permutations }, (_, k) =>
    step(`permutation ${k + 1}/${permutations}`, () => r6(rank(recipe.fitPredict({ labels: shuffled(recipe.trainingLabels, deriveSeed(seed, 7000 + k)), seed: deriveSeed(seed, 8000 + k) })).auc)),
  );
  const permutedMean = permutedAucs.reduce((a, b) => a + b, 0) / permutations;
  const pValue = (1 + permutedAucs.filter((auc) => auc >= baseline.auc).length) / (1 + permutations);
  const degradation = baseline.auc - permutedMean;
  const permutation = {
    baselineAuc: r6(baseline.auc),
    permutedMean: r6(permutedMean),
    permutedAucs,
    degradation: r6(degradation),
    pValue: r6(pValue),
    permutations,
    gate: pValue <= PERMUTATION_MAX_P && degradation >= PERMUTATION_MIN_DEGRADATION ? ("PASS" as const) : ("FAIL" as const),
  };

  const ablations = [
    { variant: "full", auc: r6(baseline.auc) },
    { variant: "without the spend channels", auc: r6(step("without spend", () => rank(recipe.fitPredict({ mask: "spend", seed }))).auc) },
    { variant: "without context", auc: r6(step("without context", () => rank(recipe.fitPredict({ mask: "context", seed }))).auc) },
  ];
  return { shiftRows, shiftGate, permutation, reproducibility, ablations };
}

/** The reference scorer's recipe: the committed ensemble's hyperparameters on the training part's feature vectors. */
function scorerRecipe(result: CalibrationResult, records: { training: ScoredRecord[]; test: ScoredRecord[] }, labels: { training: boolean[]; test: boolean[] }): Recipe {
  const params = result.scorer.model.artifact.hyperparameters;
  const trainMatrix = records.training.map(buildFeatureVector);
  const testMatrix = records.test.map(buildFeatureVector);
  const spendDerived = new Set(["TotalSpend_log1p", "MissingSpendCount"]);
  const columnsOf = (mask: Mask | undefined) =>
    mask === undefined ? [] : FEATURES.flatMap((f, i) => ((f.channel !== null || spendDerived.has(f.name)) === (mask === "spend") ? [i] : []));
  return {
    trainingIds: records.training.map((r) => r.recordId),
    trainingLabels: labels.training,
    testLabels: labels.test,
    fitPredict({ keep, labels: fitLabels, mask, seed }) {
      const columns = columnsOf(mask);
      const fitted = decodeEnsemble(
        fitEnsemble({ matrix: pick(masked(trainMatrix, columns), keep), labels: pick(fitLabels ?? labels.training, keep).map((y) => (y ? 1 : 0)), params, seed }),
      );
      return masked(testMatrix, columns).map((x) => sigmoid(ensembleLogits(fitted, x).logit));
    },
  };
}

/** Spend-derived GLM features (channels, topology, and the flags read from the spends). */
const GLM_SPEND = /^(spend:|missing:spend:|topology:|flag:(SUPER_DOMINANT|MULTI_HIGH_SPEND|AGGREGATE_MEDIUM_HIGH|IMPUTED_ZERO_ALL|PER_FEATURE_OUTLIER|CRYO_UNKNOWN_ALLZERO|CRYO_CONFLICT)$)/;
/** Context GLM features (the CRYO flags read both, so each ablation drops them). */
const GLM_CONTEXT = /^(onehot:|missing:(?!spend:)|flag:(MISSING_CONTEXT|SMALL_CLUSTER|CRYO_UNKNOWN_ALLZERO|CRYO_CONFLICT)$)/;

/** The GLM fallback's recipe: elastic net, λ by 5-fold group CV, on the policy's GLM features. */
function glmRecipe(snapshot: PolicySnapshot, records: { training: ScoredRecord[]; test: ScoredRecord[] }, labels: { training: boolean[]; test: boolean[] }): Recipe {
  const features = snapshot.glm!.features;
  const trainRaw = glmFeatureRows(records.training as unknown as LabelledRow[], features, snapshot);
  const testRaw = glmFeatureRows(records.test as unknown as LabelledRow[], features, snapshot);
  const ids = records.training.map((r) => r.recordId);
  const columnsOf = (mask: Mask | undefined) => (mask === undefined ? [] : features.flatMap((f, i) => ((mask === "spend" ? GLM_SPEND : GLM_CONTEXT).test(f) ? [i] : [])));
  return {
    trainingIds: ids,
    trainingLabels: labels.training,
    testLabels: labels.test,
    // Deterministic: λ by GroupKFold, coordinate descent; the seed has nothing to seed.
    fitPredict({ keep, labels: fitLabels, mask }) {
      const columns = columnsOf(mask);
      const fit = fitElasticNetByGroupCv(pick(masked(trainRaw, columns), keep), features, pick(fitLabels ?? labels.training, keep), pick(ids, keep));
      const c = fit.coefficients;
      const eta = linearPredictor(applyStandardisation(masked(testRaw, columns), { mean: Float64Array.from(c.mean), scale: Float64Array.from(c.scale) }), { intercept: c.intercept, coef: Float64Array.from(c.coef) });
      return Array.from(eta, (e) => 1 / (1 + Math.exp(-e)));
    },
  };
}

function figuresPart(f: ClassifierFigures, validation: { auc: number; brier: number }) {
  return {
    metrics: {
      source: "measured" as const,
      /** the five group folds of the training part (the promotion checklist's validation/test gap) */
      validation: { auc: r6(validation.auc), brier: r6(validation.brier), source: "mean of the five group folds of the training part" },
      auc: r6(f.auc),
      prAuc: r6(f.prAuc),
      brier: r6(f.brier),
      calibrationMae: r6(f.calibrationMae),
      fnr: r6(f.atThreshold.fnr),
      recall: r6(f.atThreshold.recall),
      precision: r6(f.atThreshold.precision),
      accuracy: r6(f.atThreshold.accuracy),
      lift10: r6(f.lift10),
      testRows: f.rows,
      testPositiveRate: r6(f.positiveRate),
    },
    calibration: {
      method: "none" as const,
      bins: f.bins.map((b) => ({ meanPredicted: r6(b.meanPredicted), observedRate: r6(b.observedRate), count: b.count })),
      source: "measured" as const,
      binning: "10 equal-width bins of the predicted probability; empty bins left out",
    },
    topK: f.topK.map((t) => ({ kPercent: t.kPercent, threshold: r6(t.threshold), positiveRate: r6(t.positiveRate), capture: r6(t.capture) })),
    gains: { points: f.gains.map((g) => ({ fraction: r6(g.fraction), capture: r6(g.capture) })), source: "measured" as const },
  };
}

const SHIFT_MEANING =
  "The data has no time. Its only ordering is the passenger-group number (gggg of PassengerId gggg_pp); a shift of N removes the highest-numbered N % of the training part's passenger groups and refits, scored on the same test part. It checks that less, lower-numbered data does not score better (which would say the numbering leaks the outcome), not a drift over time.";

function gauntletPart(g: Gauntlet) {
  return {
    gauntlet: {
      shiftGrid: { meaning: SHIFT_MEANING, unit: "% of training groups", rows: g.shiftRows, gate: g.shiftGate, note: `An earlier cutoff may not gain more than ΔAUC ${SHIFT_MAX_GAIN.auc} or Δlift@10 ${SHIFT_MAX_GAIN.lift10} (seed 001's tolerances).` },
      permutation: { ...g.permutation, rule: `PASS when p ≤ ${PERMUTATION_MAX_P} and the degradation is ≥ ${PERMUTATION_MIN_DEGRADATION}; training labels shuffled, a new shuffle and fit seed per permutation, scored against the real test labels` },
      reproducibility: { ...g.reproducibility, rule: `the same recipe and seed fitted again: |ΔAUC| and |Δlift@10| ≤ ${REPRODUCIBILITY_MAX_DELTA}; passenger groups in more than one part must be 0` },
    },
    ablations: g.ablations.map((a) => ({
      variant: a.variant,
      metric: "AUC",
      value: a.auc,
      note: a.variant === "full" ? "the shipped model" : a.variant === "without context" ? "every non-spend feature missing in training and test" : "every feature read from the spends missing in training and test",
    })),
  };
}

const PREQUENTIAL_NOT_APPLICABLE = {
  rows: [],
  source: "measured" as const,
  note: "Not applicable: the data has no time, so there are no months after a cutoff to score forward.",
};

const THRESHOLD_RATIONALE =
  "The machine label is p ≥ 0.5, and it is the label the gate releases or sends to a person. The two errors cost the same here (a transported passenger missed or one wrongly flagged) and the classes are balanced (about half transported), so the cost-neutral cut is the midpoint. Which labels a person checks is the gate's job (spec gating §11), not the threshold's.";

export interface OwnModelCards {
  readonly cards: ModelCardInput[];
}

/**
 * The two cards. `createdAt` is the caller's (the script keeps an unchanged card's time, so
 * calibrating the same data again rewrites nothing).
 */
export function buildOwnModelCards(input: {
  result: CalibrationResult;
  csv: Uint8Array;
  createdAt: string;
  permutations?: number;
  onProgress?: (progress: CardProgress) => void;
}): ModelCardInput[] {
  const { result } = input;
  const permutations = input.permutations ?? PERMUTATIONS;
  const { seed, splitSeed, dataFile, sha256: dataSha256 } = result.report.input;
  const read = readCsv(new TextDecoder("utf-8", { fatal: true }).decode(input.csv));
  if (!read.ok) throw new Error(`${dataFile}: ${read.errors[0]?.message}`);
  const scored = scoreForGating(result.scorer.model, read.rows);
  const parts = splitParts(scored, splitSeed);
  const records = { training: parts.training as ScoredRecord[], test: parts.test as ScoredRecord[] };
  const labels = { training: parts.training.map((r) => r.label as boolean), test: parts.test.map((r) => r.label as boolean) };
  const partOfGroup = new Map<string, Set<string>>();
  for (const [part, rows] of Object.entries(parts)) for (const r of rows) partOfGroup.set(groupOf(r.recordId), (partOfGroup.get(groupOf(r.recordId)) ?? new Set()).add(part));
  const groupOverlap = [...partOfGroup.values()].filter((s) => s.size > 1).length;
  const runId = `calibrate-${dataSha256.slice(0, 12)}-seed${seed}-split${splitSeed}`;
  const data = {
    trainWindow: null,
    holdoutWindow: null,
    cv: { folds: FOLD_COUNT, groupKey: "passenger group", purgeDays: null, seed },
    groupOverlap,
    description: `${dataFile} (sha256 ${dataSha256.slice(0, 12)}…, ${read.rows.length} rows) split by passenger group (split seed ${splitSeed}): training ${SPLIT_FRACTIONS.training * 100} % (${records.training.length} rows, the fit), calibration ${SPLIT_FRACTIONS.calibration * 100} % (unused by the models), test ${SPLIT_FRACTIONS.test * 100} % (${records.test.length} rows, every figure on this card).`,
  };
  const artifactOf = (name: string, uri: string, text: string | Uint8Array) => ({ name, uri, checksum: `sha256:${sha256(text)}` });
  const dataArtifact = artifactOf("reference data", dataFile, input.csv);
  const common = { schemaVersion: "1" as const, domain: "Spaceship Titanic (reference data)", owner: "Sentinel Review calibration (npm run calibrate)", createdAt: input.createdAt, trainingCutoff: null, runId, status: "candidate" as const, replaces: null, data, threshold: { value: DECISION_THRESHOLD, rationale: THRESHOLD_RATIONALE }, prequential: PREQUENTIAL_NOT_APPLICABLE, safePolicy: null };

  // The reference scorer: the probability σ(mean member logit), as the training report measures it.
  const scorer = scorerRecipe(result, records, labels);
  const scorerP = records.test.map((r) => r.pModel);
  const scorerFigures = classifierFigures(scorerP, labels.test, DECISION_THRESHOLD);
  const scorerGauntlet = runGauntlet(REFERENCE_SCORER_MODEL, scorer, scorerFigures, seed, groupOverlap, permutations, input.onProgress);
  const scorerFeatures = FEATURES.map((f) => ({ name: f.name, type: f.kind }));
  const params = result.scorer.model.artifact.hyperparameters;
  const scorerCard: ModelCardInput = {
    ...common,
    task: "binary_classifier",
    model: REFERENCE_SCORER_MODEL,
    displayName: "Reference scorer",
    version: result.scorer.model.scorerVersion,
    configHash: sha256(JSON.stringify({ params, seed, splitSeed, folds: FOLD_COUNT })).slice(0, 16),
    ...figuresPart(scorerFigures, result.report.scorer.foldMean),
    ...gauntletPart(scorerGauntlet),
    features: {
      count: scorerFeatures.length,
      categoricalCount: scorerFeatures.filter((f) => f.type === "indicator" || f.type === "one-hot").length,
      signature: featureSignature(scorerFeatures),
      list: scorerFeatures,
    },
    artifacts: [artifactOf("scorer artifact", "models/reference-scorer.json", result.scorer.json), dataArtifact],
    notes: [
      `A gradient-boosted ensemble of ${params.members} members (${params.booster.rounds} rounds, depth ${params.booster.maxDepth}, learning rate ${params.booster.learningRate}); missing spends stay missing (NaN down each split's learned side), never 0.`,
      `Every figure is on the test part, which the scorer never saw; the probability is σ(mean member logit), not recalibrated (method none), so the reliability bins show the raw ensemble.`,
      `Five-fold group CV on the training part: mean AUC ${result.report.scorer.foldMean.auc}, accuracy ${result.report.scorer.foldMean.accuracy}.`,
      `Computed by npm run calibrate (seed ${seed}, split seed ${splitSeed}); ${permutations} permutations, each a full refit of the recipe.`,
    ].join("\n"),
  };

  // The GLM fallback as the gating core computes it (pGlm under the policy).
  const glm = glmRecipe(result.snapshot, records, labels);
  const glmP = gateAll(records.test, result.snapshot, 100, "model-card").results.map((r) => r.pGlm as number);
  const glmFigures = classifierFigures(glmP, labels.test, DECISION_THRESHOLD);
  const glmGauntlet = runGauntlet(GLM_FALLBACK_MODEL, glm, glmFigures, seed, groupOverlap, permutations, input.onProgress);
  const coefficients = result.snapshot.glm!;
  const glmType = (f: string) => (f.startsWith("spend:") || f.startsWith("topology:") ? "numeric" : f.startsWith("onehot:") ? "one-hot" : "indicator");
  const glmFeatures = coefficients.features.map((name) => ({ name, type: glmType(name) }));
  const glmCard: ModelCardInput = {
    ...common,
    task: "binary_classifier",
    model: GLM_FALLBACK_MODEL,
    displayName: "GLM fallback",
    version: `glm-${sha256(JSON.stringify(coefficients)).slice(0, 12)}`,
    configHash: sha256(JSON.stringify({ alpha: GLM_ALPHA, folds: FOLD_COUNT, features: coefficients.features })).slice(0, 16),
    ...figuresPart(glmFigures, result.report.glm.foldMean),
    ...gauntletPart(glmGauntlet),
    features: {
      count: glmFeatures.length,
      categoricalCount: glmFeatures.filter((f) => f.type !== "numeric").length,
      signature: featureSignature(glmFeatures),
      list: glmFeatures,
    },
    artifacts: [artifactOf("policy snapshot (the GLM's coefficients)", "models/default-policy.json", result.snapshotJson), dataArtifact],
    notes: [
      `Elastic net (α = ${GLM_ALPHA}), λ by five-fold group CV (${result.report.glm.nonZero} of ${result.report.glm.features} coefficients non-zero); it is the gate's second opinion (glmGap) and the fallback where the scorer's contributions are missing.`,
      "The card's probabilities are pGlm as the gating core computes it under the policy; the gauntlet refits the same recipe (deterministic: the seed has nothing to seed).",
      `Computed by npm run calibrate (seed ${seed}, split seed ${splitSeed}); ${permutations} permutations.`,
    ].join("\n"),
  };
  return [scorerCard, glmCard];
}
