import { describe, expect, it } from "vitest";
import { averagePrecision, calibrationBins, calibrationMae, classifierFigures, rankFigures } from "./evaluation";

describe("classifier figures for a model card", () => {
  it("computes average precision step by step down the ranking", () => {
    // ranked: +, -, +, - : precision at the two positives 1/1 and 2/3 → (1 + 2/3) / 2
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [true, false, true, false])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it("counts a tie together, whatever the input order", () => {
    const a = averagePrecision([0.5, 0.5, 0.2], [true, false, false]);
    const b = averagePrecision([0.5, 0.5, 0.2], [false, true, false]);
    expect(a).toBe(b);
    expect(a).toBeCloseTo(0.5, 12);
    // A top-50 % cut inside the tie of four takes the tie's rate (2 of 4), not the first rows.
    const top = classifierFigures([0.6, 0.6, 0.6, 0.6], [true, true, false, false].concat([]), 0.5);
    expect(top.topK.find((t) => t.kPercent === 50)!.positiveRate).toBe(0.5);
  });

  it("bins predictions by equal width, leaves empty bins out, and weighs the MAE by count", () => {
    const bins = calibrationBins([0.05, 0.15, 0.15, 0.95, 1], [false, true, false, true, true]);
    expect(bins).toEqual([
      { meanPredicted: 0.05, observedRate: 0, count: 1 },
      { meanPredicted: 0.15, observedRate: 0.5, count: 2 },
      { meanPredicted: 0.975, observedRate: 1, count: 2 },
    ]);
    expect(calibrationMae(bins)).toBeCloseTo((1 * 0.05 + 2 * 0.35 + 2 * 0.025) / 5, 12);
  });

  it("gives the error rates at the threshold, top-K, gains and lift@10", () => {
    const p = Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20);
    const y = p.map((v, i) => v >= 0.5 || i === 3);
    const f = classifierFigures(p, y, 0.5);
    expect(f.atThreshold).toEqual({ threshold: 0.5, fnr: 1 / 11, recall: 10 / 11, precision: 1, accuracy: 19 / 20 });
    expect(f.gains[0]).toEqual({ fraction: 0, capture: 0 });
    expect(f.gains.at(-1)).toEqual({ fraction: 1, capture: 1 });
    expect(f.topK.find((t) => t.kPercent === 10)).toEqual({ kPercent: 10, threshold: 0.925, positiveRate: 1, capture: 2 / 11 });
    expect(f.lift10).toBeCloseTo(1 / (11 / 20), 12);
    expect(rankFigures(p, y)).toEqual({ auc: f.auc, lift10: f.lift10 });
  });

  it("refuses one-class or mismatched input", () => {
    expect(() => classifierFigures([0.1, 0.2], [true, true], 0.5)).toThrow(/both outcomes/);
    expect(() => classifierFigures([0.1], [true, false], 0.5)).toThrow(/equal/);
  });
});
