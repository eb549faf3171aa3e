/**
 * The held-out figures of a binary classifier's model card (spec model-cards.md §1), from
 * its probabilities and the outcomes: PR-AUC, calibration bins and their MAE, the error
 * rates at the decision threshold, top-K yield, the gains curve and lift@10. AUC and Brier
 * come from lib/scorer/metrics (one definition each). Ties are never broken by input order:
 * records with equal scores count together (a K cut inside a tie takes the tie's rate).
 * Pure.
 */
import { brierScore, rocAuc } from "@/lib/scorer/metrics";

export const CALIBRATION_BIN_COUNT = 10;
export const TOP_K_PERCENTS = [5, 10, 20, 30, 50] as const;
export const GAINS_STEP = 0.05;

export interface CalibrationBin {
  readonly meanPredicted: number;
  readonly observedRate: number;
  readonly count: number;
}

export interface TopKRow {
  readonly kPercent: number;
  readonly threshold: number;
  readonly positiveRate: number;
  readonly capture: number;
}

export interface ClassifierFigures {
  readonly rows: number;
  readonly positiveRate: number;
  readonly auc: number;
  readonly prAuc: number;
  readonly brier: number;
  readonly calibrationMae: number;
  readonly bins: readonly CalibrationBin[];
  readonly atThreshold: { readonly threshold: number; readonly fnr: number; readonly recall: number; readonly precision: number; readonly accuracy: number };
  readonly topK: readonly TopKRow[];
  readonly gains: readonly { readonly fraction: number; readonly capture: number }[];
  readonly lift10: number;
}

function checkInputs(scores: readonly number[], labels: readonly boolean[]): void {
  if (scores.length !== labels.length || scores.length === 0) throw new RangeError("need equal, non-empty arrays");
  if (!labels.some(Boolean) || labels.every(Boolean)) throw new RangeError("need both outcomes");
}

/** Distinct scores from the highest down, with the records and positives at each. */
function descendingTies(scores: readonly number[], labels: readonly boolean[]): { score: number; n: number; positives: number }[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const ties: { score: number; n: number; positives: number }[] = [];
  for (const i of order) {
    const last = ties.at(-1);
    if (last && last.score === scores[i]) {
      last.n += 1;
      last.positives += labels[i] ? 1 : 0;
    } else ties.push({ score: scores[i]!, n: 1, positives: labels[i] ? 1 : 0 });
  }
  return ties;
}

/** Average precision: Σ over distinct thresholds of (recall gained) × (precision there). */
export function averagePrecision(scores: readonly number[], labels: readonly boolean[]): number {
  checkInputs(scores, labels);
  const total = labels.filter(Boolean).length;
  let taken = 0;
  let hits = 0;
  let ap = 0;
  for (const tie of descendingTies(scores, labels)) {
    taken += tie.n;
    hits += tie.positives;
    ap += (tie.positives / total) * (hits / taken);
  }
  return ap;
}

/** Equal-width bins of the predicted probability over [0, 1]; empty bins left out. */
export function calibrationBins(probabilities: readonly number[], labels: readonly boolean[], binCount = CALIBRATION_BIN_COUNT): CalibrationBin[] {
  const sums = new Float64Array(binCount);
  const positives = new Float64Array(binCount);
  const counts = new Float64Array(binCount);
  probabilities.forEach((p, i) => {
    const b = Math.min(binCount - 1, Math.floor(p * binCount));
    sums[b]! += p;
    positives[b]! += labels[i] ? 1 : 0;
    counts[b]! += 1;
  });
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < binCount; b++) {
    if (counts[b] === 0) continue;
    bins.push({ meanPredicted: sums[b]! / counts[b]!, observedRate: positives[b]! / counts[b]!, count: counts[b]! });
  }
  return bins;
}

/** The bins' |mean predicted − observed rate| weighted by their counts (expected calibration error). */
export function calibrationMae(bins: readonly CalibrationBin[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  return bins.reduce((s, b) => s + b.count * Math.abs(b.meanPredicted - b.observedRate), 0) / n;
}

/**
 * Positives among the `n` highest scores; a tie crossing the cut contributes its share
 * (n inside the tie × the tie's positive rate), so the figure does not depend on input order.
 */
function positivesInTop(ties: readonly { score: number; n: number; positives: number }[], n: number): { positives: number; threshold: number } {
  let left = n;
  let positives = 0;
  let threshold = ties[0]?.score ?? 0;
  for (const tie of ties) {
    if (left <= 0) break;
    const take = Math.min(left, tie.n);
    positives += (tie.positives * take) / tie.n;
    threshold = tie.score;
    left -= take;
  }
  return { positives, threshold };
}

export function classifierFigures(probabilities: readonly number[], labels: readonly boolean[], threshold: number): ClassifierFigures {
  checkInputs(probabilities, labels);
  const rows = probabilities.length;
  const total = labels.filter(Boolean).length;
  const ties = descendingTies(probabilities, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  probabilities.forEach((p, i) => {
    if (p >= threshold) {
      if (labels[i]) tp++;
      else fp++;
    } else if (!labels[i]) tn++;
  });
  const bins = calibrationBins(probabilities, labels);
  const share = (fraction: number) => positivesInTop(ties, Math.round(fraction * rows));
  const topK = TOP_K_PERCENTS.map((k) => {
    const n = Math.round((k / 100) * rows);
    const top = positivesInTop(ties, n);
    return { kPercent: k, threshold: top.threshold, positiveRate: top.positives / n, capture: top.positives / total };
  });
  const steps = Math.round(1 / GAINS_STEP);
  const gains = Array.from({ length: steps + 1 }, (_, s) => {
    const fraction = s / steps;
    return { fraction, capture: s === 0 ? 0 : share(fraction).positives / total };
  });
  const top10 = share(0.1);
  return {
    rows,
    positiveRate: total / rows,
    auc: rocAuc(probabilities, labels),
    prAuc: averagePrecision(probabilities, labels),
    brier: brierScore(probabilities, labels),
    calibrationMae: calibrationMae(bins),
    bins,
    atThreshold: {
      threshold,
      fnr: (total - tp) / total,
      recall: tp / total,
      precision: tp + fp === 0 ? 0 : tp / (tp + fp),
      accuracy: (tp + tn) / rows,
    },
    topK,
    gains,
    lift10: top10.positives / Math.round(0.1 * rows) / (total / rows),
  };
}

/** AUC and lift@10 only (the gauntlet's refits need no more). */
export function rankFigures(probabilities: readonly number[], labels: readonly boolean[]): { auc: number; lift10: number } {
  checkInputs(probabilities, labels);
  const rows = probabilities.length;
  const total = labels.filter(Boolean).length;
  const top = positivesInTop(descendingTies(probabilities, labels), Math.round(0.1 * rows));
  return { auc: rocAuc(probabilities, labels), lift10: top.positives / Math.round(0.1 * rows) / (total / rows) };
}
