/**
 * Small numeric helpers shared by the gating core. Pure, allocation-free where it
 * matters (they run per record).
 */

/** Probabilities are clipped to [P_CLIP, 1 − P_CLIP] before logit (spec §4.1). */
const P_CLIP = 1e-6;

function clipProbability(p: number): number {
  return p < P_CLIP ? P_CLIP : p > 1 - P_CLIP ? 1 - P_CLIP : p;
}

/** logit(clip(p)): finite for every p in [0, 1]. */
export function logit(p: number): number {
  const q = clipProbability(p);
  return Math.log(q / (1 - q));
}

/** Logistic function, written to stay finite and accurate for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Hyndman–Fan type 7 quantile (linear interpolation between order statistics; numpy's
 * default) of an ascending array. `sorted` must be non-empty and sorted ascending.
 */
export function quantileType7(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample");
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Number of elements of the ascending array strictly below x (binary search). */
export function countBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ascending numeric sort of a copy (never `Array.prototype.sort` without a comparator). */
export function sortedAscending(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/** The smallest double strictly greater than x (x finite). Used for "above every score" thresholds. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  let bits = buf.getBigUint64(0);
  bits = x > 0 ? bits + 1n : bits - 1n;
  buf.setBigUint64(0, bits);
  return buf.getFloat64(0);
}

/** Shortest exact decimal rendering used in human text; deterministic. */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toFixed(digits));
  return String(Object.is(r, -0) ? 0 : r);
}
