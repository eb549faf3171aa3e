/**
 * Calibration (spec/gating.md §7): labelled reference CSV → reference scorer artifact,
 * policy snapshot and report, as one deterministic function of (bytes, seeds). No file or
 * clock access: `scripts/calibrate.ts` reads and writes, tests call this directly.
 *
 * Three parts by passenger group (seeded hash): training 60 %, calibration 20 %, test 20 %.
 *   training:    the reference scorer (5 group folds + final fit), cluster and global
 *                statistics, θ, the GLM fallback, and the audit-priority model (§11), fitted
 *                on the training part's out-of-fold errors (scored by the fold ensembles);
 *   calibration: the per-feature cap (CAPS_TARGET_RATE of the part's largest |spend
 *                contribution|, spend-derived features included), varBase, and CS_ACCEPT by
 *                the release guarantee (fixed-sequence binomial test, §11);
 *   test:        nothing is fitted on it. Every figure of the report comes from it: flag and
 *                fragile rates, scorer and GLM quality, routing in batches of 1, 10 and 100,
 *                the routing-quality figures against the uncertainty baseline, the canary
 *                signatures' matches, and which audit-priority estimator orders the queue
 *                better (the one shipped).
 */
import { createHash } from "node:crypto";
import {
  applyLogitCaps,
  AUDIT_PRIORITY_FEATURES,
  auditPriorityFeatures,
  buildPolicySnapshot,
  chooseCapPerFeature,
  chooseReleaseBar,
  chooseTheta,
  compilePolicy,
  computeReferenceStatistics,
  computeSnapshotHash,
  FLAG_CODES,
  flagMaskOf,
  labelledRoutingOf,
  MAX_BATCH_SIZE,
  queueYield,
  readCsv,
  referenceFragilityScores,
  releaseBarGrid,
  routingQuality,
  type CanarySignature,
  type FlagCode,
  type GatingResult,
  type PolicySnapshot,
  type QueueYieldPoint,
  type ReleaseGuarantee,
  type RoutingQuality,
  type ScoredRecord,
} from "@/lib/gating";
import { gateRecords, type GateRunSummary } from "@/lib/records/gate-records";
import { binaryMetrics, type BinaryMetrics } from "@/lib/scorer/metrics";
import { scoreForGating } from "@/lib/scorer/model";
import { groupOf, SPEND_DERIVED_FEATURES, SPEND_FEATURE_CHANNELS } from "@/lib/scorer/features";
import { splitParts } from "@/lib/scorer/split";
import { trainReferenceScorer, type TrainingProgress, type TrainingResult } from "@/lib/scorer/train";
import { fitElasticNetByGroupCv, fitGlmFallback, GLM_ALPHA, type LabelledRow } from "./glm-fit";
import { SEED_FAILURE_SIGNATURES } from "./signatures";

/** Enough groups for 5 folds with a few groups each. */
const MIN_TRAINING_GROUPS = 25;
export const ROUTING_BATCH_SIZES = [1, 10, 100] as const;
/** `now` of the report's gating runs: calibration output must not depend on the clock. */
const REPORT_NOW = "1970-01-01T00:00:00Z";
/** The audit-priority estimators are compared on the errors met in this share of the queue. */
const QUEUE_SHARE_COMPARED = 0.25;

export class CalibrationInputError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { line: number; column: string; rule: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "CalibrationInputError";
  }
}

export type CalibrationProgress =
  | TrainingProgress
  | { stage: "statistics" }
  | { stage: "glm" }
  | { stage: "guarantee" }
  | { stage: "auditPriority" }
  | { stage: "routing" };

export interface CalibrationInput {
  readonly csv: Uint8Array;
  /** recorded in the scorer artifact and the report, e.g. `data/spaceship-titanic/train.csv` */
  readonly dataFile: string;
  readonly seed?: number;
  readonly splitSeed?: number;
  readonly onProgress?: (progress: CalibrationProgress) => void;
}

export type RoutingRow = Readonly<GateRunSummary> & { readonly batchSize: number; readonly quality: RoutingQuality };

export interface SignatureReport {
  readonly name: string;
  /** records of the test part it matches */
  readonly matches: number;
  readonly share: number;
  /** the model's error rate on them (null without matches) */
  readonly errorRate: number | null;
}

export interface CalibrationReport {
  readonly input: {
    readonly dataFile: string;
    readonly sha256: string;
    readonly rows: number;
    readonly trainingRows: number;
    readonly calibrationRows: number;
    readonly testRows: number;
    readonly seed: number;
    readonly splitSeed: number;
  };
  readonly policy: {
    readonly id: string;
    readonly hash: string;
    readonly theta: number;
    /** share of training records with score ≥ θ (≤ TARGET_FRAGILE_RATE) */
    readonly scoreFragileRate: number;
    /** share of training records that are fragile (score ≥ θ or a canary): the hold test's base rate */
    readonly realisedFragileRate: number;
    readonly targetFragileRate: number;
    readonly capPerFeatureLogit: number;
    readonly capsTargetRate: number;
    readonly csAccept: number;
    readonly varBase: number;
    readonly contributionsExpected: boolean;
  };
  /** the release test on the calibration part (§11) */
  readonly releaseGuarantee: ReleaseGuarantee & { readonly candidates: number };
  /** share of rows with each flag; CAPS_TRIGGERED from the scorer's contributions */
  readonly flagRates: { readonly training: Readonly<Record<FlagCode, number>>; readonly test: Readonly<Record<FlagCode, number>> };
  readonly testFragileRate: number;
  readonly scorer: { readonly version: string; readonly foldMean: { auc: number; accuracy: number; brier: number }; readonly test: BinaryMetrics };
  readonly glm: {
    readonly alpha: number;
    readonly lambda: number;
    readonly lambdaIndex: number;
    readonly lambdaCount: number;
    readonly features: number;
    readonly nonZero: number;
    readonly foldMean: { auc: number; accuracy: number; brier: number };
    readonly test: BinaryMetrics;
  };
  readonly auditPriority: {
    /** "model": the fitted audit-priority model orders the queue; "confidence": the model's own */
    readonly shipped: "model" | "confidence";
    /** AUC of each estimator for "the machine label is wrong" on the test part's audit queue */
    readonly errorAuc: { readonly model: number | null; readonly confidence: number | null };
    /** errors met in the first shares of the test part's audit queue (batch size 100) */
    readonly yieldModel: readonly QueueYieldPoint[];
    readonly yieldConfidence: readonly QueueYieldPoint[];
    readonly nonZero: number;
    readonly features: number;
  };
  readonly signatures: readonly SignatureReport[];
  readonly routing: readonly RoutingRow[];
}

export interface CalibrationResult {
  readonly scorer: TrainingResult;
  readonly snapshot: PolicySnapshot;
  /** the snapshot file's text (2-space JSON and a final newline) */
  readonly snapshotJson: string;
  readonly report: CalibrationReport;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
}

/** Population variance of the members' logits, members clipped to [0.01, 0.99] (§4.1). */
function memberLogitVariance(ensemble: readonly number[]): number {
  const z = ensemble.map((p) => {
    const q = Math.min(0.99, Math.max(0.01, p));
    return Math.log(q / (1 - q));
  });
  const m = mean(z);
  return mean(z.map((v) => (v - m) * (v - m)));
}

function foldMean(folds: readonly BinaryMetrics[]): { auc: number; accuracy: number; brier: number } {
  return { auc: mean(folds.map((f) => f.auc)), accuracy: mean(folds.map((f) => f.accuracy)), brier: mean(folds.map((f) => f.brier)) };
}

function flagRates(results: readonly { flags: readonly FlagCode[] }[]): Record<FlagCode, number> {
  const counts = Object.fromEntries(FLAG_CODES.map((code) => [code, 0])) as Record<FlagCode, number>;
  for (const r of results) for (const code of r.flags) counts[code] += 1;
  for (const code of FLAG_CODES) counts[code] /= results.length;
  return counts;
}

/** All results of gating `records` in consecutive batches of `size`, with the run's summary. */
export function gateAll(records: readonly ScoredRecord[], snapshot: PolicySnapshot, size: number, batchPrefix: string): { results: GatingResult[]; summary: GateRunSummary } {
  const results: GatingResult[] = [];
  const summary = gateRecords(records, snapshot, { batchSize: size, now: REPORT_NOW, batchPrefix }, (batch) => results.push(...batch));
  return { results, summary };
}

const labelOf = (row: unknown): boolean => (row as LabelledRow).label;

/**
 * θ and `realisedFragileRate` (§3.2) of a snapshot on the reference training part: θ chosen
 * for its TARGET_FRAGILE_RATE (or its own θ kept), and the batch-hold test's base rate, the
 * share of training records fragile by either route — score ≥ θ or a canary — or signature
 * matches would look like an excess and hold ordinary batches. Calibration and policy
 * proposals (lib/data/policy-changes.ts) derive them here.
 */
export function fragilityThreshold(
  training: readonly ScoredRecord[],
  snapshot: PolicySnapshot,
  options: { chooseTheta: boolean },
): { theta: number; scoreFragileRate: number; realisedFragileRate: number } {
  const chosen = options.chooseTheta ? chooseTheta(referenceFragilityScores(training, snapshot), snapshot.thresholds.TARGET_FRAGILE_RATE) : { theta: snapshot.theta, realisedFragileRate: snapshot.realisedFragileRate };
  const fragile = gateAll(training, { ...snapshot, theta: chosen.theta, realisedFragileRate: chosen.realisedFragileRate }, MAX_BATCH_SIZE, "fragile-rate").results.filter((r) => r.fragile).length;
  return { theta: chosen.theta, scoreFragileRate: chosen.realisedFragileRate, realisedFragileRate: fragile / training.length };
}

/** AUC of `scores` for "the machine label is wrong"; null when the queue holds only one kind. */
function errorAuc(scores: readonly number[], errors: readonly boolean[]): number | null {
  return errors.some((e) => e) && errors.some((e) => !e) ? binaryMetrics(scores, errors).auc : null;
}

export function calibrate(input: CalibrationInput): CalibrationResult {
  const seed = input.seed ?? 42;
  const splitSeed = input.splitSeed ?? 42;
  const text = new TextDecoder("utf-8", { fatal: true }).decode(input.csv);
  const read = readCsv(text);
  if (!read.ok) throw new CalibrationInputError(`${input.dataFile}: ${read.errors.length} invalid cell(s); first: ${read.errors[0]?.message}`, read.errors);
  const unlabelled = read.rows.find((row) => row.label === null);
  if (unlabelled) throw new CalibrationInputError(`${input.dataFile}: line ${unlabelled.line}, column Transported: calibration needs a label on every row`);

  const parts = splitParts(read.rows, splitSeed);
  const groups = new Set(parts.training.map((row) => groupOf(row.recordId))).size;
  const bothLabels = (rows: readonly { label: boolean | null }[]) => new Set(rows.map((row) => row.label)).size === 2;
  if (groups < MIN_TRAINING_GROUPS || !bothLabels(parts.calibration) || !bothLabels(parts.test)) {
    throw new CalibrationInputError(
      `${input.dataFile}: too little data to calibrate: ${groups} passenger groups in the training part (need ≥ ${MIN_TRAINING_GROUPS}); ${parts.calibration.length} calibration and ${parts.test.length} test rows (each part needs both labels)`,
    );
  }

  const scorer = trainReferenceScorer({ csv: input.csv, dataFile: input.dataFile, seed, splitSeed, onProgress: input.onProgress });
  const scored = scoreForGating(scorer.model, read.rows);
  const { training, calibration, test } = splitParts(scored, splitSeed);

  input.onProgress?.({ stage: "statistics" });
  const statistics = computeReferenceStatistics(training);
  const common = {
    statistics,
    contributionsExpected: true,
    featureChannelMap: { ...SPEND_FEATURE_CHANNELS },
    spendDerivedFeatures: SPEND_DERIVED_FEATURES,
    canaries: { signatures: [...SEED_FAILURE_SIGNATURES] as CanarySignature[] },
  } as const;
  // §4.2: the cap from the calibration part's largest |spend contribution| per record.
  const uncapped = compilePolicy(buildPolicySnapshot({ ...common, theta: 0, realisedFragileRate: 0 }));
  const capsTargetRate = uncapped.thresholds.CAPS_TARGET_RATE;
  const capPerFeatureLogit = chooseCapPerFeature(
    calibration.map((r) => applyLogitCaps(r.logitContributions, uncapped).maxAbsRaw),
    capsTargetRate,
  );
  const thresholds = { CAP_PER_FEATURE_LOGIT: capPerFeatureLogit };
  const draft = buildPolicySnapshot({ ...common, thresholds, theta: 0, realisedFragileRate: 0 });
  const { theta, scoreFragileRate, realisedFragileRate } = fragilityThreshold(training, draft, { chooseTheta: true });

  input.onProgress?.({ stage: "glm" });
  const glmFit = fitGlmFallback(training as unknown as LabelledRow[], draft);
  const varBase = median(calibration.map((r) => memberLogitVariance(r.ensemble)));

  // §11 release guarantee on the calibration part: the bar a non-fragile record must reach.
  // Confidence does not depend on the batch, so one pass in the largest batches will do.
  input.onProgress?.({ stage: "guarantee" });
  const base = { ...common, thresholds, theta, realisedFragileRate, glm: glmFit.coefficients, varBase };
  const withoutCsAccept = buildPolicySnapshot(base);
  const t = withoutCsAccept.thresholds;
  const candidates = gateAll(calibration, withoutCsAccept, MAX_BATCH_SIZE, "calibration").results.flatMap((r, i) =>
    r.fragile ? [] : [{ confidence: r.confidence, error: r.decision !== labelOf(calibration[i]) }],
  );
  const strictest = Math.min(t.SMALL_BATCH_FRAGILE_GATES.CONFIDENCE_MIN, t.FRAGILE_GATES.CONFIDENCE_MIN);
  const guarantee = chooseReleaseBar(candidates, releaseBarGrid(strictest), t.TARGET_RELEASE_ERROR, t.RELEASE_DELTA);
  const withConfidenceOrder = buildPolicySnapshot({ ...base, csAccept: guarantee.csAccept });

  // §11 audit priority: a model of "the machine label is wrong" on the training part scored
  // out of fold (each row by the fold ensemble that did not see it), against the model's own
  // confidence; the one that puts more of the test queue's errors first is shipped.
  input.onProgress?.({ stage: "auditPriority" });
  const outOfFold = scorer.foldModels.flatMap((model, fold) =>
    scoreForGating(
      model,
      read.rows.filter((row) => scorer.foldOfRecord.get(row.recordId) === fold),
    ),
  );
  const oofResults = gateAll(outOfFold, withConfidenceOrder, MAX_BATCH_SIZE, "out-of-fold").results;
  const priorityFit = fitElasticNetByGroupCv(
    oofResults.map((r) =>
      auditPriorityFeatures({
        p50: r.p50,
        predictiveWidth: r.predictiveWidth,
        glmGap: r.provenance.glmGap,
        ensembleAgreement: r.provenance.ensembleAgreement,
        fragilityScore: r.fragilityScore,
        topology: r.provenance.topology,
        flagMask: flagMaskOf(r.flags),
      }),
    ),
    AUDIT_PRIORITY_FEATURES,
    oofResults.map((r, i) => r.decision !== labelOf(outOfFold[i])),
    oofResults.map((r) => r.recordId),
  );
  const withModelOrder = buildPolicySnapshot({ ...base, csAccept: guarantee.csAccept, auditPriority: priorityFit.coefficients });
  const testLabels = test.map(labelOf);
  const queueOf = (snapshot: PolicySnapshot) => gateAll(test, snapshot, 100, "priority").results.map((r, i) => labelledRoutingOf(r, testLabels[i] as boolean));
  const queueModel = queueOf(withModelOrder);
  const queueConfidence = queueOf(withConfidenceOrder);
  const yieldModel = queueYield(queueModel);
  const yieldConfidence = queueYield(queueConfidence);
  const compared = (points: readonly { share: number; byEstimate: number }[]) => points.find((p) => p.share === QUEUE_SHARE_COMPARED)?.byEstimate ?? 0;
  const shipModel = compared(yieldModel) > compared(yieldConfidence);
  const snapshot = shipModel ? withModelOrder : withConfidenceOrder;
  const audited = (queue: typeof queueModel) => queue.filter((q) => q.route === "audit");
  const aucOf = (queue: typeof queueModel) => errorAuc(audited(queue).map((q) => q.errorEstimate ?? 0), audited(queue).map((q) => q.decision !== q.label));

  input.onProgress?.({ stage: "routing" });
  const routingRuns = ROUTING_BATCH_SIZES.map((size) => {
    const run = gateAll(test, snapshot, size, `test-${size}`);
    return { size, ...run, quality: routingQuality(run.results.map((r, i) => labelledRoutingOf(r, testLabels[i] as boolean))) };
  });
  const testResults = routingRuns[routingRuns.length - 1]!.results;
  const trainingResults = gateAll(training, snapshot, MAX_BATCH_SIZE, "training").results;
  const signatures = snapshot.canaries.signatures.map((sig): SignatureReport => {
    const label = `signature:${sig.name}`;
    const matched = testResults.flatMap((r, i) => (r.provenance.canaryMatches.includes(label) ? [r.decision !== testLabels[i]] : []));
    return { name: sig.name, matches: matched.length, share: matched.length / testResults.length, errorRate: matched.length === 0 ? null : matched.filter(Boolean).length / matched.length };
  });

  const report: CalibrationReport = {
    input: {
      dataFile: input.dataFile,
      sha256: createHash("sha256").update(input.csv).digest("hex"),
      rows: read.rows.length,
      trainingRows: training.length,
      calibrationRows: calibration.length,
      testRows: test.length,
      seed,
      splitSeed,
    },
    policy: {
      id: snapshot.id,
      hash: computeSnapshotHash(snapshot),
      theta,
      scoreFragileRate,
      realisedFragileRate,
      targetFragileRate: t.TARGET_FRAGILE_RATE,
      capPerFeatureLogit,
      capsTargetRate,
      csAccept: snapshot.csAccept,
      varBase,
      contributionsExpected: snapshot.contributionsExpected,
    },
    releaseGuarantee: { ...guarantee, candidates: candidates.length },
    flagRates: { training: flagRates(trainingResults), test: flagRates(testResults) },
    testFragileRate: testResults.filter((r) => r.fragile).length / testResults.length,
    scorer: { version: scorer.model.scorerVersion, foldMean: scorer.metrics.foldMean, test: scorer.metrics.test },
    glm: {
      alpha: GLM_ALPHA,
      lambda: glmFit.lambda,
      lambdaIndex: glmFit.lambdaIndex,
      lambdaCount: glmFit.lambdaCount,
      features: glmFit.coefficients.features.length,
      nonZero: glmFit.nonZero,
      foldMean: foldMean(glmFit.folds),
      test: binaryMetrics(
        testResults.map((r) => r.pGlm as number),
        testLabels,
      ),
    },
    auditPriority: {
      shipped: shipModel ? "model" : "confidence",
      errorAuc: { model: aucOf(queueModel), confidence: aucOf(queueConfidence) },
      yieldModel,
      yieldConfidence,
      nonZero: priorityFit.nonZero,
      features: AUDIT_PRIORITY_FEATURES.length,
    },
    signatures,
    routing: routingRuns.map(({ size, summary, quality }) => ({ batchSize: size, ...summary, quality })),
  };
  return { scorer, snapshot, snapshotJson: `${JSON.stringify(snapshot, null, 2)}\n`, report };
}
