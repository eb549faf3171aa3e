/**
 * Batch hold (spec/gating.md §6.2). A batch is held — every record to audit with
 * BATCH_HOLD — when its fragile fraction reaches BATCH_FRAGILE_THRESHOLD *and* the excess
 * is real: the exact one-sided binomial tail P(X ≥ fragileCount | n, realisedFragileRate)
 * is below BATCH_HOLD_ALPHA. Without the guard a 5 % threshold against a ~4 % base rate
 * holds about 37 % of batches of 100 by chance.
 *
 * BATCH_HOLD_ALPHA = 1 switches the guard off (the seed's literal rule), as the spec says;
 * with alpha < 1 the test is the strict `pValue < alpha`. Batches smaller than
 * BATCH_HOLD_MIN_N are never held: their fragile records go to audit on their own checks
 * (SINGLETON_FRAGILE, the fragile gates), and a hold would only add a release step. The test's
 * figures are still computed for them, so the batch summary shows them.
 */

const LN_2PI = Math.log(2 * Math.PI);
const SMALL_FACTORIALS = 256;
/** ln m! for m < 256 by direct summation (exact enough: < 1e-13 absolute). */
const lnSmallFactorial = (() => {
  const t = new Float64Array(SMALL_FACTORIALS);
  for (let m = 2; m < SMALL_FACTORIALS; m++) t[m] = (t[m - 1] as number) + Math.log(m);
  return t;
})();

/** ln(m!) — table below 256, Stirling series with four correction terms above (error < 1e-20 there). */
export function logFactorial(m: number): number {
  if (m < SMALL_FACTORIALS) return lnSmallFactorial[m] as number;
  const inv = 1 / m;
  const inv2 = inv * inv;
  return m * Math.log(m) - m + 0.5 * (LN_2PI + Math.log(m)) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}

/** ln C(n, k) */
function logBinomialCoefficient(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/**
 * ln of a sum of binomial pmf terms, starting at `from` and stepping by `dir` (±1) while
 * the terms shrink: log-sum-exp over terms produced by the ratio recurrence, relative to
 * the first (largest) term, stopping once they are e^-50 below it.
 */
function logSumFrom(from: number, dir: 1 | -1, n: number, lnP: number, lnQ: number): number {
  const first = logBinomialCoefficient(n, from) + from * lnP + (n - from) * lnQ;
  const lnOdds = lnP - lnQ;
  let term = first;
  let sum = 1;
  for (let i = from; dir === 1 ? i < n : i > 0; i += dir) {
    // pmf(i+1)/pmf(i) = (n−i)/(i+1)·p/q ; pmf(i−1)/pmf(i) = i/(n−i+1)·q/p
    term += dir === 1 ? Math.log((n - i) / (i + 1)) + lnOdds : Math.log(i / (n - i + 1)) - lnOdds;
    const rel = term - first;
    if (rel < -50) break;
    sum += Math.exp(rel);
  }
  return first + Math.log(sum);
}

/**
 * ln P(X ≥ k) for X ~ Binomial(n, p), in log space so it neither underflows for large n
 * nor loses small tails. Sums always run from the largest term outwards: above the mode
 * the upper tail directly; at or below it, 1 − the lower tail P(X ≤ k − 1) via log1p, so
 * tails near 1 keep full precision. −Infinity when the tail is 0.
 */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0) throw new RangeError("k and n must be integers, n ≥ 0");
  if (!(p >= 0 && p <= 1)) throw new RangeError("p must be in [0, 1]");
  if (k <= 0) return 0;
  if (k > n || p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return 0;
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const mode = Math.floor((n + 1) * p);
  if (k > mode) return Math.min(0, logSumFrom(k, 1, n, lnP, lnQ));
  // Terms fall away from the mode in both directions, so the lower tail below k ≤ mode is summed downwards.
  const lower = Math.exp(logSumFrom(k - 1, -1, n, lnP, lnQ));
  return lower >= 1 ? Number.NEGATIVE_INFINITY : Math.log1p(-lower);
}

/** P(X ≥ k) for X ~ Binomial(n, p) (exact; see logBinomialUpperTail). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  return Math.exp(logBinomialUpperTail(k, n, p));
}

export interface BatchHoldEvaluation {
  readonly size: number;
  readonly fragileCount: number;
  readonly fragileFraction: number;
  /** P(X ≥ fragileCount | size, realisedFragileRate) */
  readonly pValue: number;
  /** BATCH_FRAGILE_THRESHOLD */
  readonly threshold: number;
  /** BATCH_HOLD_ALPHA */
  readonly alpha: number;
  /** the realisedFragileRate the test used */
  readonly baseRate: number;
  /** BATCH_HOLD_MIN_N: smaller batches are never held */
  readonly minSize: number;
  /** the test says hold (size ≥ minSize, fraction ≥ threshold and the excess is significant) */
  readonly hold: boolean;
}

/**
 * A hold a record brings into a new batch (§6.2): an earlier result of the record sits in a
 * batch that is held and not released. The figures are that batch's; the data layer looks
 * them up, the core only routes on them.
 */
export interface InheritedHold {
  readonly batchId: string;
  readonly size: number;
  readonly fragileCount: number;
  readonly fragileFraction: number;
  readonly pValue: number;
  /** BATCH_FRAGILE_THRESHOLD the held batch was tested against */
  readonly threshold: number;
  /** BATCH_HOLD_ALPHA the held batch was tested against */
  readonly alpha: number;
}

export function evaluateBatchHold(
  fragileCount: number,
  size: number,
  baseRate: number,
  threshold: number,
  alpha: number,
  minSize = 1,
): BatchHoldEvaluation {
  const fragileFraction = size === 0 ? 0 : fragileCount / size;
  const pValue = binomialUpperTail(fragileCount, size, baseRate);
  const significant = alpha >= 1 || pValue < alpha;
  return { size, fragileCount, fragileFraction, pValue, threshold, alpha, baseRate, minSize, hold: size >= minSize && fragileFraction >= threshold && significant };
}

/** Smallest fragile count that holds a batch of `size` (size + 1 when none does). For reports and tests. */
export function minimumHeldCount(size: number, baseRate: number, threshold: number, alpha: number, minSize = 1): number {
  for (let k = 0; k <= size; k++) if (evaluateBatchHold(k, size, baseRate, threshold, alpha, minSize).hold) return k;
  return size + 1;
}
