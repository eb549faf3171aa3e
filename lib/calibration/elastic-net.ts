/**
 * Elastic-net logistic regression by cyclic coordinate descent (Friedman, Hastie &
 * Tibshirani 2010, "glmnet"), for the GLM fallback of spec/gating.md §5. No maintained
 * npm package fits a penalised logistic model (the ones that exist fit plain gradient
 * descent without an L1 term), and the spec allows a small tested implementation.
 *
 * Objective, over standardised columns (mean 0, population sd 1; a constant column is
 * left at 0 and gets coefficient 0):
 *   −(1/n) Σ [yᵢ ηᵢ − log(1 + e^ηᵢ)] + λ (α ‖β‖₁ + (1 − α)/2 ‖β‖²),  η = β₀ + x·β,
 * the intercept unpenalised. Each outer step replaces the likelihood by its weighted
 * least-squares (IRLS) approximation at the current fit; the inner loop updates one
 * coefficient at a time with the soft-threshold rule. A path of λ is fitted from λ_max
 * (every β = 0) downwards with warm starts. Deterministic: fixed iteration order, no
 * randomness.
 */

export interface ElasticNetSettings {
  /** mixing: 1 = lasso, 0 = ridge (spec: 0.5) */
  readonly alpha: number;
  /** convergence: largest weighted squared coefficient change per sweep */
  readonly tolerance?: number;
  readonly maxOuter?: number;
  readonly maxInner?: number;
}

export interface StandardisedDesign {
  /** one Float64Array per feature, each of length n, standardised (missing = 0 = the mean) */
  readonly columns: readonly Float64Array[];
  /** per feature: mean and scale used (scale 1 for a constant column) */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

export interface PathFit {
  readonly lambda: number;
  readonly intercept: number;
  readonly coef: Float64Array;
}

const W_MIN = 1e-5;

/**
 * Standardises raw feature rows (NaN = missing input). Mean and population sd are over the
 * observed values of each feature; a missing value becomes 0, i.e. the mean, as scoring
 * treats it (lib/gating/glm.ts).
 */
export function standardise(rows: readonly Float64Array[], featureCount: number): StandardisedDesign {
  const n = rows.length;
  const mean = new Float64Array(featureCount);
  const scale = new Float64Array(featureCount);
  const columns: Float64Array[] = [];
  for (let j = 0; j < featureCount; j++) {
    let count = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = (rows[i] as Float64Array)[j] as number;
      if (x === x) {
        count++;
        sum += x;
      }
    }
    const m = count > 0 ? sum / count : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const x = (rows[i] as Float64Array)[j] as number;
      if (x === x) ss += (x - m) * (x - m);
    }
    const sd = count > 0 ? Math.sqrt(ss / count) : 0;
    const s = sd > 1e-12 ? sd : 1;
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = (rows[i] as Float64Array)[j] as number;
      column[i] = x === x ? (x - m) / s : 0;
    }
    mean[j] = m;
    scale[j] = s;
    columns.push(column);
  }
  return { columns, mean, scale };
}

/** Standardises rows with a fitted design's mean and scale (for held-out data). */
export function applyStandardisation(rows: readonly Float64Array[], design: Pick<StandardisedDesign, "mean" | "scale">): Float64Array[] {
  const p = design.mean.length;
  const columns: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const column = new Float64Array(rows.length);
    const m = design.mean[j] as number;
    const s = design.scale[j] as number;
    for (let i = 0; i < rows.length; i++) {
      const x = (rows[i] as Float64Array)[j] as number;
      column[i] = x === x ? (x - m) / s : 0;
    }
    columns.push(column);
  }
  return columns;
}

/** The smallest λ at which every coefficient is 0: max_j |⟨x_j, y − ȳ⟩| / (n α). */
export function lambdaMax(columns: readonly Float64Array[], y: Float64Array, alpha: number): number {
  const n = y.length;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] as number;
  ybar /= n;
  let best = 0;
  for (const x of columns) {
    let g = 0;
    for (let i = 0; i < n; i++) g += (x[i] as number) * ((y[i] as number) - ybar);
    best = Math.max(best, Math.abs(g) / n);
  }
  return best / Math.max(alpha, 1e-3);
}

/** `count` values from λ_max down to λ_max·ratio, evenly spaced on a log scale. */
export function lambdaPath(lambdaMaximum: number, count: number, ratio: number): number[] {
  if (count < 2) return [lambdaMaximum];
  return Array.from({ length: count }, (_, k) => lambdaMaximum * Math.pow(ratio, k / (count - 1)));
}

function softThreshold(x: number, t: number): number {
  return x > t ? x - t : x < -t ? x + t : 0;
}

/** Fits every λ of the path (descending) with warm starts; returns one fit per λ. */
export function fitElasticNetPath(columns: readonly Float64Array[], y: Float64Array, lambdas: readonly number[], settings: ElasticNetSettings): PathFit[] {
  const n = y.length;
  const p = columns.length;
  const alpha = settings.alpha;
  const tolerance = settings.tolerance ?? 1e-7;
  const maxOuter = settings.maxOuter ?? 50;
  const maxInner = settings.maxInner ?? 500;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] as number;
  ybar /= n;
  if (ybar <= 0 || ybar >= 1) throw new RangeError("the elastic net needs both classes in its training data");

  let intercept = Math.log(ybar / (1 - ybar));
  const beta = new Float64Array(p);
  const eta = new Float64Array(n).fill(intercept);
  const w = new Float64Array(n);
  const r = new Float64Array(n); // working residual z − η
  const h = new Float64Array(p);
  const fits: PathFit[] = [];

  for (const lambda of lambdas) {
    const l1 = lambda * alpha;
    const l2 = lambda * (1 - alpha);
    for (let outer = 0; outer < maxOuter; outer++) {
      let sumW = 0;
      for (let i = 0; i < n; i++) {
        const e = eta[i] as number;
        const prob = e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
        const wi = Math.max(prob * (1 - prob), W_MIN);
        w[i] = wi;
        r[i] = ((y[i] as number) - prob) / wi;
        sumW += wi;
      }
      for (let j = 0; j < p; j++) {
        const x = columns[j] as Float64Array;
        let s = 0;
        for (let i = 0; i < n; i++) s += (w[i] as number) * (x[i] as number) * (x[i] as number);
        h[j] = s / n;
      }
      let outerChange = 0;
      for (let inner = 0; inner < maxInner; inner++) {
        let sweepChange = 0;
        let g0 = 0;
        for (let i = 0; i < n; i++) g0 += (w[i] as number) * (r[i] as number);
        const d0 = g0 / sumW;
        if (d0 !== 0) {
          intercept += d0;
          for (let i = 0; i < n; i++) r[i] = (r[i] as number) - d0;
          sweepChange = Math.max(sweepChange, (sumW / n) * d0 * d0);
        }
        for (let j = 0; j < p; j++) {
          const hj = h[j] as number;
          if (hj === 0) continue;
          const x = columns[j] as Float64Array;
          let g = 0;
          for (let i = 0; i < n; i++) g += (w[i] as number) * (x[i] as number) * (r[i] as number);
          const old = beta[j] as number;
          const next = softThreshold(g / n + hj * old, l1) / (hj + l2);
          const d = next - old;
          if (d !== 0) {
            beta[j] = next;
            for (let i = 0; i < n; i++) r[i] = (r[i] as number) - d * (x[i] as number);
            sweepChange = Math.max(sweepChange, hj * d * d);
          }
        }
        outerChange = Math.max(outerChange, sweepChange);
        if (sweepChange < tolerance) break;
      }
      // New linear predictor from the coefficients (not the residuals, to avoid drift).
      for (let i = 0; i < n; i++) eta[i] = intercept;
      for (let j = 0; j < p; j++) {
        const b = beta[j] as number;
        if (b === 0) continue;
        const x = columns[j] as Float64Array;
        for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + b * (x[i] as number);
      }
      if (outerChange < tolerance) break;
    }
    fits.push({ lambda, intercept, coef: Float64Array.from(beta) });
  }
  return fits;
}

/** Linear predictor of standardised columns under one fit. */
export function linearPredictor(columns: readonly Float64Array[], fit: Pick<PathFit, "intercept" | "coef">): Float64Array {
  const n = columns[0]?.length ?? 0;
  const eta = new Float64Array(n).fill(fit.intercept);
  columns.forEach((x, j) => {
    const b = fit.coef[j] as number;
    if (b === 0) return;
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + b * (x[i] as number);
  });
  return eta;
}

/** Mean binomial deviance −2/n Σ [y log p + (1 − y) log(1 − p)] of a linear predictor. */
export function meanDeviance(eta: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i] as number;
    // log(1 + e^η) computed stably
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    sum += softplus - (y[i] as number) * e;
  }
  return (2 * sum) / eta.length;
}
