/**
 * Calibration (spec/gating.md §7): labelled reference CSV → reference scorer artifact,
 * policy snapshot and report, as one deterministic function of (bytes, seeds). No file or
 * clock access: `scripts/calibrate.ts` reads and writes, tests call this directly.
 *
 * Everything fitted is fitted on the training 80 % (the holdout is 20 % of passenger
 * groups by the scorer's seeded hash), so the report's holdout figures are honest:
 *   1. the reference scorer (lib/scorer/train.ts: 5 group folds + final fit);
 *   2. cluster and global statistics of the training rows (§1.3, §2);
 *   3. θ from the training rows' fragility scores, with the scorer's contributions so
 *      CAPS_TRIGGERED counts (contributions are expected: the scorer always sends them);
 *   4. the GLM fallback (§5) by elastic net with group-fold CV;
 *   5. varBase = median over the holdout of the variance of the members' logits
 *      (members clipped to [0.01, 0.99]; population variance over the 10 members);
 *   6. CS_ACCEPT so that TARGET_AUDIT_RATE of the non-fragile holdout falls below it,
 *      capped at the smaller fragile CS (the schema requires CS ≥ CS_ACCEPT);
 *   7. the report: flag and fragile rates, scorer and GLM quality, holdout routing in
 *      batches of 1, 10 and 100 under the final snapshot.
 */
import { createHash } from "node:crypto";
import {
  buildPolicySnapshot,
  chooseReleaseBar,
  releaseBarGrid,
  chooseTheta,
  computeReferenceStatistics,
  computeSnapshotHash,
  FLAG_CODES,
  MAX_BATCH_SIZE,
  readCsv,
  referenceFragilityScores,
  type FlagCode,
  type GatingResult,
  type PolicySnapshot,
  type ScoredRecord,
} from "@/lib/gating";
import { gateRecords, type GateRunSummary } from "@/lib/records/gate-records";
import { binaryMetrics, type BinaryMetrics } from "@/lib/scorer/metrics";
import { scoreForGating } from "@/lib/scorer/model";
import { groupOf, SPEND_FEATURE_CHANNELS } from "@/lib/scorer/features";
import { splitHoldout } from "@/lib/scorer/split";
import { trainReferenceScorer, type TrainingProgress, type TrainingResult } from "@/lib/scorer/train";
import { fitGlmFallback, GLM_ALPHA, type LabelledRow } from "./glm-fit";

/** Enough groups for 5 folds with a few groups each. */
const MIN_TRAINING_GROUPS = 25;
const ROUTING_BATCH_SIZES = [1, 10, 100] as const;
/** `now` of the report's gating runs: calibration output must not depend on the clock. */
const REPORT_NOW = "1970-01-01T00:00:00Z";

export class CalibrationInputError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { line: number; column: string; rule: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "CalibrationInputError";
  }
}

export type CalibrationProgress = TrainingProgress | { stage: "statistics" } | { stage: "glm" } | { stage: "routing" };

export interface CalibrationInput {
  readonly csv: Uint8Array;
  /** recorded in the scorer artifact and the report, e.g. `data/spaceship-titanic/train.csv` */
  readonly dataFile: string;
  readonly seed?: number;
  readonly holdoutSeed?: number;
  readonly onProgress?: (progress: CalibrationProgress) => void;
}

export type RoutingRow = Readonly<GateRunSummary> & { readonly batchSize: number };

export interface CalibrationReport {
  readonly input: {
    readonly dataFile: string;
    readonly sha256: string;
    readonly rows: number;
    readonly trainingRows: number;
    readonly holdoutRows: number;
    readonly seed: number;
    readonly holdoutSeed: number;
  };
  readonly policy: {
    readonly id: string;
    readonly hash: string;
    readonly theta: number;
    readonly realisedFragileRate: number;
    readonly targetFragileRate: number;
    readonly csAccept: number;
    readonly targetAuditRate: number;
    /** share of non-fragile holdout records below CS_ACCEPT */
    readonly realisedAuditRate: number;
    readonly varBase: number;
    readonly contributionsExpected: boolean;
  };
  /** share of rows with each flag; CAPS_TRIGGERED from the scorer's contributions */
  readonly flagRates: { readonly training: Readonly<Record<FlagCode, number>>; readonly holdout: Readonly<Record<FlagCode, number>> };
  readonly holdoutFragileRate: number;
  readonly scorer: { readonly version: string; readonly foldMean: { auc: number; accuracy: number; brier: number }; readonly holdout: BinaryMetrics };
  readonly glm: {
    readonly alpha: number;
    readonly lambda: number;
    readonly lambdaIndex: number;
    readonly lambdaCount: number;
    readonly features: number;
    readonly nonZero: number;
    readonly foldMean: { auc: number; accuracy: number; brier: number };
    readonly holdout: BinaryMetrics;
  };
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
function gateAll(records: readonly ScoredRecord[], snapshot: PolicySnapshot, size: number, batchPrefix: string): { results: GatingResult[]; summary: GateRunSummary } {
  const results: GatingResult[] = [];
  const summary = gateRecords(records, snapshot, { batchSize: size, now: REPORT_NOW, batchPrefix }, (batch) => results.push(...batch));
  return { results, summary };
}

export function calibrate(input: CalibrationInput): CalibrationResult {
  const seed = input.seed ?? 42;
  const holdoutSeed = input.holdoutSeed ?? 42;
  const text = new TextDecoder("utf-8", { fatal: true }).decode(input.csv);
  const read = readCsv(text);
  if (!read.ok) throw new CalibrationInputError(`${input.dataFile}: ${read.errors.length} invalid cell(s); first: ${read.errors[0]?.message}`, read.errors);
  const unlabelled = read.rows.find((row) => row.label === null);
  if (unlabelled) throw new CalibrationInputError(`${input.dataFile}: line ${unlabelled.line}, column Transported: calibration needs a label on every row`);

  const split = splitHoldout(read.rows, holdoutSeed);
  const groups = new Set(split.training.map((row) => groupOf(row.recordId))).size;
  const holdoutClasses = new Set(split.holdout.map((row) => row.label)).size;
  if (groups < MIN_TRAINING_GROUPS || holdoutClasses < 2) {
    throw new CalibrationInputError(
      `${input.dataFile}: too little data to calibrate: ${groups} passenger groups in the training split (need ≥ ${MIN_TRAINING_GROUPS}) and ${split.holdout.length} holdout rows (need both labels)`,
    );
  }

  const scorer = trainReferenceScorer({ csv: input.csv, dataFile: input.dataFile, seed, holdoutSeed, onProgress: input.onProgress });
  const scored = scoreForGating(scorer.model, read.rows);
  const { training, holdout } = splitHoldout(scored, holdoutSeed);

  input.onProgress?.({ stage: "statistics" });
  const statistics = computeReferenceStatistics(training);
  const common = { statistics, contributionsExpected: true, featureChannelMap: { ...SPEND_FEATURE_CHANNELS } } as const;
  const draft = buildPolicySnapshot({ ...common, theta: 0, realisedFragileRate: 0 });
  const { theta, realisedFragileRate } = chooseTheta(referenceFragilityScores(training, draft), draft.thresholds.TARGET_FRAGILE_RATE);

  input.onProgress?.({ stage: "glm" });
  const glmFit = fitGlmFallback(training as unknown as LabelledRow[], draft);
  const varBase = median(holdout.map((r) => memberLogitVariance(r.ensemble)));

  // CS_ACCEPT from the confidences of the non-fragile holdout records; confidence does not
  // depend on the batch, so one pass over the holdout in the largest allowed batches will do.
  const withoutCsAccept = buildPolicySnapshot({ ...common, theta, realisedFragileRate, glm: glmFit.coefficients, varBase });
  const t = withoutCsAccept.thresholds;
  const pass = gateAll(holdout, withoutCsAccept, MAX_BATCH_SIZE, "calibration");
  const holdoutLabels = holdout.map((r) => (r as unknown as LabelledRow).label);
  const nonFragile = pass.results.flatMap((r, i) => (r.fragile ? [] : [{ confidence: r.confidence, error: r.decision !== holdoutLabels[i] }]));
  const strictest = Math.min(t.SMALL_BATCH_FRAGILE_GATES.CONFIDENCE_MIN, t.FRAGILE_GATES.CONFIDENCE_MIN);
  const guarantee = chooseReleaseBar(nonFragile, releaseBarGrid(strictest), t.TARGET_RELEASE_ERROR, t.RELEASE_DELTA);
  const csAccept = guarantee.csAccept;
  const realisedAuditRate = nonFragile.filter((c) => c.confidence < csAccept).length / nonFragile.length;
  const snapshot = buildPolicySnapshot({ ...common, theta, realisedFragileRate, glm: glmFit.coefficients, varBase, csAccept });

  input.onProgress?.({ stage: "routing" });
  const labels = holdout.map((r) => (r as unknown as LabelledRow).label);
  const routingRuns = ROUTING_BATCH_SIZES.map((size) => ({ size, ...gateAll(holdout, snapshot, size, `holdout-${size}`) }));
  const holdoutResults = routingRuns[routingRuns.length - 1]!.results;
  const trainingResults = gateAll(training, snapshot, MAX_BATCH_SIZE, "training").results;

  const report: CalibrationReport = {
    input: {
      dataFile: input.dataFile,
      sha256: createHash("sha256").update(input.csv).digest("hex"),
      rows: read.rows.length,
      trainingRows: training.length,
      holdoutRows: holdout.length,
      seed,
      holdoutSeed,
    },
    policy: {
      id: snapshot.id,
      hash: computeSnapshotHash(snapshot),
      theta,
      realisedFragileRate,
      targetFragileRate: t.TARGET_FRAGILE_RATE,
      csAccept,
      targetAuditRate: t.TARGET_RELEASE_ERROR,
      realisedAuditRate,
      varBase,
      contributionsExpected: snapshot.contributionsExpected,
    },
    flagRates: { training: flagRates(trainingResults), holdout: flagRates(holdoutResults) },
    holdoutFragileRate: holdoutResults.filter((r) => r.fragile).length / holdoutResults.length,
    scorer: { version: scorer.model.scorerVersion, foldMean: scorer.metrics.foldMean, holdout: scorer.metrics.holdout },
    glm: {
      alpha: GLM_ALPHA,
      lambda: glmFit.lambda,
      lambdaIndex: glmFit.lambdaIndex,
      lambdaCount: glmFit.lambdaCount,
      features: glmFit.coefficients.features.length,
      nonZero: glmFit.nonZero,
      foldMean: foldMean(glmFit.folds),
      holdout: binaryMetrics(
        holdoutResults.map((r) => r.pGlm as number),
        labels,
      ),
    },
    routing: routingRuns.map(({ size, summary }) => ({ batchSize: size, ...summary })),
  };
  return { scorer, snapshot, snapshotJson: `${JSON.stringify(snapshot, null, 2)}\n`, report };
}
