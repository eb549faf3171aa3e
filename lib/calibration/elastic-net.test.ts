import { describe, expect, it } from "vitest";
import { createPrng } from "@/lib/scorer/prng";
import { applyStandardisation, fitElasticNetPath, lambdaMax, lambdaPath, linearPredictor, meanDeviance, standardise } from "./elastic-net";

/** Correlated features, a sparse true model, labels drawn from it. */
function syntheticProblem(seed: number, n = 400, p = 8) {
  const prng = createPrng(seed);
  const random = () => prng.nextFloat();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const truth = [1.5, -1, 0, 0, 0.5, 0, 0, 0].slice(0, p);
  const rows: Float64Array[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const shared = gauss();
    const x = Float64Array.from({ length: p }, (_, j) => (j < 2 ? 0.5 * shared : 0) + gauss() * (1 + j / 4) + j);
    rows.push(x);
    const eta = 0.3 + truth.reduce((s, b, j) => s + b * ((x[j] as number) - j), 0);
    y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { rows, y, p };
}

/** The elastic-net optimality (KKT) conditions at λ, α for standardised columns. */
function kktViolation(columns: readonly Float64Array[], y: Float64Array, fit: { intercept: number; coef: Float64Array }, lambda: number, alpha: number): number {
  const eta = linearPredictor(columns, fit);
  const n = y.length;
  let worst = 0;
  let g0 = 0;
  for (let i = 0; i < n; i++) g0 += (y[i] as number) - 1 / (1 + Math.exp(-(eta[i] as number)));
  worst = Math.max(worst, Math.abs(g0 / n));
  columns.forEach((x, j) => {
    let g = 0;
    for (let i = 0; i < n; i++) g += (x[i] as number) * ((y[i] as number) - 1 / (1 + Math.exp(-(eta[i] as number))));
    g /= n;
    const b = fit.coef[j] as number;
    const violation = b === 0 ? Math.max(0, Math.abs(g) - lambda * alpha) : Math.abs(g - lambda * (1 - alpha) * b - lambda * alpha * Math.sign(b));
    worst = Math.max(worst, violation);
  });
  return worst;
}

describe("elastic-net logistic regression (coordinate descent)", () => {
  it("standardises observed values and puts missing at the mean (0)", () => {
    const rows = [Float64Array.of(1, 5), Float64Array.of(3, Number.NaN), Float64Array.of(5, 5)];
    const d = standardise(rows, 2);
    expect(Array.from(d.mean)).toEqual([3, 5]);
    expect(d.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(d.scale[1]).toBe(1); // constant column
    expect(Array.from(d.columns[1]!)).toEqual([0, 0, 0]);
    expect(Array.from(applyStandardisation([Float64Array.of(3, Number.NaN)], d)[0]!)).toEqual([0]);
  });

  it("gives all-zero coefficients at λ_max and satisfies the KKT conditions along the path", () => {
    const { rows, y, p } = syntheticProblem(7);
    const { columns } = standardise(rows, p);
    const lambdas = lambdaPath(lambdaMax(columns, y, 0.5), 20, 1e-3);
    const fits = fitElasticNetPath(columns, y, lambdas, { alpha: 0.5, tolerance: 1e-12 });
    expect(Math.max(...Array.from(fits[0]!.coef, Math.abs))).toBeLessThan(1e-9);
    for (const fit of fits) expect(kktViolation(columns, y, fit, fit.lambda, 0.5)).toBeLessThan(1e-5);
    // Less penalty never fits the training data worse.
    const deviances = fits.map((fit) => meanDeviance(linearPredictor(columns, fit), y));
    for (let l = 1; l < deviances.length; l++) expect(deviances[l]!).toBeLessThanOrEqual(deviances[l - 1]! + 1e-9);
  });

  it("recovers the sparse truth: the three real effects are the largest, with their signs", () => {
    const { rows, y, p } = syntheticProblem(11, 4000);
    const { columns } = standardise(rows, p);
    const lambdas = lambdaPath(lambdaMax(columns, y, 0.5), 30, 1e-3);
    const fit = fitElasticNetPath(columns, y, lambdas, { alpha: 0.5 }).at(-1)!;
    expect(fit.coef[0]).toBeGreaterThan(0.5);
    expect(fit.coef[1]).toBeLessThan(-0.5);
    expect(fit.coef[4]).toBeGreaterThan(0.2);
    for (const j of [2, 3, 5, 6, 7]) expect(Math.abs(fit.coef[j]!)).toBeLessThan(0.1);
  });

  it("is deterministic and refuses single-class data", () => {
    const { rows, y, p } = syntheticProblem(3);
    const { columns } = standardise(rows, p);
    const lambdas = lambdaPath(lambdaMax(columns, y, 0.5), 10, 1e-2);
    const a = fitElasticNetPath(columns, y, lambdas, { alpha: 0.5 });
    const b = fitElasticNetPath(columns, y, lambdas, { alpha: 0.5 });
    expect(a.map((f) => Array.from(f.coef))).toEqual(b.map((f) => Array.from(f.coef)));
    expect(() => fitElasticNetPath(columns, new Float64Array(y.length), lambdas, { alpha: 0.5 })).toThrow(/both classes/);
  });
});
