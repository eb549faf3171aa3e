import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attribute,
  binMatrix,
  binOf,
  computeBinEdges,
  decodeBooster,
  decodeTree,
  fitBooster,
  predictLogit,
  type CompactBooster,
  type GbdtParams,
} from "./gbdt";
import { createPrng } from "./prng";

const ONE_SPLIT: GbdtParams = {
  rounds: 1,
  learningRate: 1,
  maxDepth: 1,
  maxBins: 8,
  minChildWeight: 0,
  l2: 1,
  minSplitGain: 0,
  rowSubsample: 1,
  columnSubsample: 1,
};

function fitRows(rows: number[][], labels: number[], params: GbdtParams = ONE_SPLIT, seed = 1) {
  const matrix = rows.map((row) => Float64Array.from(row));
  const binEdges = rows[0]!.map((_, f) => computeBinEdges(matrix.map((x) => x[f]!), params.maxBins));
  const binned = binMatrix(matrix, binEdges);
  const compact = fitBooster({ binned, labels, weights: labels.map(() => 1), params, prng: createPrng(seed) });
  return { compact, booster: decodeBooster(compact, binEdges), binEdges, matrix };
}

describe("bin edges", () => {
  it("uses every distinct value but the smallest when there are few", () => {
    expect(computeBinEdges([3, 1, NaN, 2, 2], 8)).toEqual([2, 3]);
    expect(binOf([2, 3], 1)).toBe(0);
    expect(binOf([2, 3], 2)).toBe(1);
    expect(binOf([2, 3], 2.5)).toBe(1);
    expect(binOf([2, 3], 9)).toBe(2);
  });

  it("gives a heavy atom its own bin and splits the rest by row mass", () => {
    const values = [...new Array<number>(60).fill(0), ...Array.from({ length: 40 }, (_, i) => i + 1)];
    const edges = computeBinEdges(values, 5);
    // Zero alone, then the 40 positive values in four bins of 10.
    expect(edges).toEqual([1, 11, 21, 31]);
  });

  it("codes NaN as the feature's missing bin", () => {
    const binned = binMatrix([Float64Array.of(1), Float64Array.of(NaN), Float64Array.of(5)], [[2, 3]]);
    expect(Array.from(binned.columns[0]!)).toEqual([0, 3, 2]);
    expect(binned.missingBin[0]).toBe(3);
  });
});

describe("one Newton step on four rows (hand-computed)", () => {
  it("splits x < 1 with leaf values ∓1/(0.5 + λ)", () => {
    // init logit(0.5) = 0, so g = p − y = ±0.5 and h = 0.25: each leaf has G = ±1, H = 0.5, λ = 1.
    const { compact, booster } = fitRows([[0], [0], [1], [1]], [0, 0, 1, 1]);
    expect(compact.initialValue).toBe(0);
    expect(compact.trees).toEqual([{ feature: [0, -1, -1], cut: [0], missingLeft: [1], leafValue: [-666667, 666667], leafCount: [2, 2] }]);
    expect(predictLogit(booster, Float64Array.of(0))).toBeCloseTo(-0.666667, 12);
    expect(predictLogit(booster, Float64Array.of(1))).toBeCloseTo(0.666667, 12);
    const attribution = attribute(booster, Float64Array.of(0), 1);
    expect(attribution.base).toBe(0);
    expect(attribution.contributions[0]).toBeCloseTo(-0.666667, 12);
  });

  it("learns where missing values go: right when they look like the high values", () => {
    const { compact, booster } = fitRows([[1], [2], [3], [NaN]], [0, 0, 1, 1]);
    expect(compact.trees[0]).toMatchObject({ feature: [0, -1, -1], cut: [1], missingLeft: [0], leafValue: [-666667, 666667] });
    expect(predictLogit(booster, Float64Array.of(NaN))).toBeCloseTo(0.666667, 12);
  });

  it("… and left when they look like the low values", () => {
    const { compact, booster } = fitRows([[NaN], [2], [3], [4]], [0, 0, 1, 1]);
    expect(compact.trees[0]).toMatchObject({ feature: [0, -1, -1], cut: [0], missingLeft: [1], leafValue: [-666667, 666667] });
    expect(predictLogit(booster, Float64Array.of(NaN))).toBeCloseTo(-0.666667, 12);
    // NaN is not 0: a zero takes the value path (0 < 3 goes left too here, but by threshold).
    expect(predictLogit(booster, Float64Array.of(5))).toBeCloseTo(0.666667, 12);
  });
});

describe("Saabas attribution on a hand-built tree", () => {
  // root: x0 < 10 ? (x1 < 5 [NaN left] ? 1.0 (1 row) : −1.0 (3 rows)) : 2.0 (4 rows)
  // node means: left = (1·1 − 3·1)/4 = −0.5; root = (4·(−0.5) + 4·2)/8 = 0.75
  const binEdges = [[10], [5]];
  const booster: CompactBooster = {
    initialValue: 250000,
    trees: [{ feature: [0, 1, -1, -1, -1], cut: [0, 0], missingLeft: [0, 1], leafValue: [1e6, -1e6, 2e6], leafCount: [1, 3, 4] }],
  };
  const decoded = decodeBooster(booster, binEdges);

  it("decodes node means weighted by reference rows", () => {
    expect(Array.from(decoded.trees[0]!.value)).toEqual([0.75, -0.5, 1, -1, 2]);
  });

  it("credits each split's change of node value to its feature", () => {
    const viaMissing = attribute(decoded, Float64Array.of(3, NaN), 2);
    expect(viaMissing.base).toBe(1); // 0.25 + 0.75
    expect(Array.from(viaMissing.contributions)).toEqual([-1.25, 1.5]);
    expect(viaMissing.logit).toBe(1.25);

    const right = attribute(decoded, Float64Array.of(12, 0), 2);
    expect(Array.from(right.contributions)).toEqual([1.25, 0]);
    expect(right.logit).toBe(2.25);

    const leftRight = attribute(decoded, Float64Array.of(9.999, 5), 2);
    expect(Array.from(leftRight.contributions)).toEqual([-1.25, -0.5]);
    expect(predictLogit(decoded, Float64Array.of(9.999, 5))).toBe(-0.75);
  });

  it("rejects arrays that do not describe one preorder tree", () => {
    expect(() => decodeTree({ feature: [0, -1], cut: [0], missingLeft: [0], leafValue: [1], leafCount: [1] }, binEdges)).toThrow();
    expect(() => decodeTree({ feature: [0, -1, -1], cut: [3], missingLeft: [0], leafValue: [1, 2], leafCount: [1, 1] }, binEdges)).toThrow(/cut/);
  });
});

describe("a fitted booster (property)", () => {
  const dataset = fc
    .array(
      fc.record({
        x: fc.array(fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 20 })), { minLength: 3, maxLength: 3 }),
        y: fc.integer({ min: 0, max: 1 }),
      }),
      { minLength: 12, maxLength: 60 },
    )
    .filter((rows) => rows.some((r) => r.y === 1) && rows.some((r) => r.y === 0));

  it("adds up: base + Σ contributions = logit, and base = the training mean of the logit", () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 0, max: 1000 }), (rows, seed) => {
        const params: GbdtParams = { ...ONE_SPLIT, rounds: 8, maxDepth: 3, learningRate: 0.3, rowSubsample: 0.8, columnSubsample: 0.67 };
        const { booster, matrix } = fitRows(
          rows.map((r) => r.x),
          rows.map((r) => r.y),
          params,
          seed,
        );
        let logitSum = 0;
        for (const x of matrix) {
          const attribution = attribute(booster, x, 3);
          const total = attribution.base + attribution.contributions.reduce((s, c) => s + c, 0);
          expect(Math.abs(total - attribution.logit)).toBeLessThan(1e-9);
          expect(attribution.logit).toBe(predictLogit(booster, x));
          logitSum += attribution.logit;
        }
        const base = attribute(booster, matrix[0]!, 3).base;
        expect(Math.abs(base - logitSum / matrix.length)).toBeLessThan(1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it("is deterministic for a seed", () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i % 7, (i * 3) % 11, i % 2 ? NaN : i]);
    const labels = rows.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const params = { ...ONE_SPLIT, rounds: 5, maxDepth: 3, learningRate: 0.3, rowSubsample: 0.7, columnSubsample: 0.67 };
    expect(fitRows(rows, labels, params, 9).compact).toEqual(fitRows(rows, labels, params, 9).compact);
    expect(fitRows(rows, labels, params, 9).compact).not.toEqual(fitRows(rows, labels, params, 10).compact);
  });
});
