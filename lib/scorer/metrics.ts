/** Binary-classifier quality measures used by the training report and calibration. */

/**
 * ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores
 * above a random negative, ties counting one half (average ranks).
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  if (scores.length !== labels.length) throw new RangeError("scores and labels differ in length");
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!]) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) throw new RangeError("AUC needs both classes");
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities against 0/1 outcomes. */
export function brierScore(probabilities: readonly number[], labels: readonly boolean[]): number {
  if (probabilities.length !== labels.length || probabilities.length === 0) throw new RangeError("need equal, non-empty arrays");
  let sum = 0;
  probabilities.forEach((p, i) => {
    const error = p - (labels[i] ? 1 : 0);
    sum += error * error;
  });
  return sum / probabilities.length;
}

/** Share of records whose label (p ≥ threshold) equals the outcome. */
export function accuracy(probabilities: readonly number[], labels: readonly boolean[], threshold = 0.5): number {
  if (probabilities.length !== labels.length || probabilities.length === 0) throw new RangeError("need equal, non-empty arrays");
  let correct = 0;
  probabilities.forEach((p, i) => {
    if (p >= threshold === labels[i]) correct += 1;
  });
  return correct / probabilities.length;
}

export type BinaryMetrics = { rows: number; auc: number; brier: number; accuracy: number };

export function binaryMetrics(probabilities: readonly number[], labels: readonly boolean[]): BinaryMetrics {
  return {
    rows: probabilities.length,
    auc: rocAuc(probabilities, labels),
    brier: brierScore(probabilities, labels),
    accuracy: accuracy(probabilities, labels),
  };
}
