import { describe, expect, it } from "vitest";
import { nextUp, quantileType7 } from "./numeric";
import { chooseCapPerFeature, chooseTheta, computeReferenceStatistics, type ReferenceRow } from "./reference-statistics";
import { spendOf, type SpendVector } from "./synthetic-policy.test-support";

const row = (spend: SpendVector, label: boolean | null = null, context: ReferenceRow["context"] = { HomePlanet: "Earth", Destination: "TRAPPIST-1e" }): ReferenceRow => ({
  spend: spendOf(spend),
  context,
  label,
});

describe("Hyndman–Fan type 7 quantiles", () => {
  it("match numpy's default on a sample with zeros", () => {
    const x = [0, 0, 0, 0, 10, 20, 30, 40, 1000];
    // numpy.quantile(x, [0.75, 0.9, 0.995, 0.5])
    expect(quantileType7(x, 0.75)).toBeCloseTo(30.0, 12);
    expect(quantileType7(x, 0.9)).toBeCloseTo(232.00000000000017, 9);
    expect(quantileType7(x, 0.995)).toBeCloseTo(961.5999999999999, 9);
    expect(quantileType7(x, 0.5)).toBe(10);
    expect(quantileType7([5], 0.9)).toBe(5);
  });
});

describe("reference statistics (§1.3, §2)", () => {
  const rows: ReferenceRow[] = [
    row([0, 0, 0, 0, 0], true),
    row([0, 0, null, 0, 0], false),
    row([0, 5, 0, 0, 0], true),
    row([0, 0, 0, 0, 0], null),
    row([10, 0, 0, 0, 0], false),
    row([20, 0, 0, 0, 3], true),
    row([30, 0, 0, 0, 0], false),
    row([40, 0, 0, 2, 0], true),
    row([1000, 7, 0, 0, 0], false),
    row([null, 50, 0, 0, 0], true, { HomePlanet: null, Destination: "TRAPPIST-1e" }),
  ];
  const stats = computeReferenceStatistics(rows, { nMinSlice: 5 });

  it("quantiles are over all observed values including zeros; nulls are excluded", () => {
    const rs = stats.clusters["Earth|TRAPPIST-1e"]?.channels.RoomService;
    expect(rs?.observed).toBe(9);
    expect(rs?.qMedium).toBeCloseTo(30, 12);
    expect(rs?.qMulti).toBeCloseTo(232.00000000000017, 9);
    expect(rs?.qOutlier).toBeCloseTo(961.5999999999999, 9);
    expect(stats.clusters["Earth|TRAPPIST-1e"]?.channels.ShoppingMall?.observed).toBe(8);
    expect(stats.global.channels.RoomService?.observed).toBe(9); // the ∅ row's RoomService is null
  });

  it("top2Sum reference distribution is sorted, one value per row, over observed values", () => {
    expect(stats.clusters["Earth|TRAPPIST-1e"]?.top2SumSorted).toEqual([0, 0, 0, 5, 10, 23, 30, 42, 1007]);
    expect(stats.global.top2SumSorted).toHaveLength(10);
  });

  it("median / MAD / IQR of log1p(top2Sum) use rows with total > tol only", () => {
    const lt = stats.clusters["Earth|TRAPPIST-1e"]?.logTop2;
    const logs = [5, 10, 23, 30, 42, 1007].map(Math.log1p);
    expect(lt?.rows).toBe(6);
    const median = quantileType7(logs, 0.5);
    expect(lt?.median).toBeCloseTo(median, 12);
    expect(lt?.mad).toBeCloseTo(quantileType7(logs.map((x) => Math.abs(x - median)).sort((a, b) => a - b), 0.5), 12);
    expect(lt?.iqr).toBeCloseTo(quantileType7(logs, 0.75) - quantileType7(logs, 0.25), 12);
    const allRows = computeReferenceStatistics(rows, { logTop2Basis: "allRows" });
    expect(allRows.clusters["Earth|TRAPPIST-1e"]?.logTop2.rows).toBe(9);
    expect(allRows.logTop2Basis).toBe("allRows");
  });

  it("N, positives and μ per cluster and global; unlabelled rows count in N only; small clusters marked", () => {
    const c = stats.clusters["Earth|TRAPPIST-1e"];
    expect(c).toMatchObject({ n: 9, labelled: 8, positives: 4, positiveRate: 0.5, small: false });
    expect(stats.clusters["∅|TRAPPIST-1e"]).toMatchObject({ n: 1, labelled: 1, positives: 1, positiveRate: 1, small: true });
    expect(stats.global).toMatchObject({ n: 10, labelled: 9, positives: 5 });
    expect(stats.global.positiveRate).toBeCloseTo(5 / 9, 12);
  });

  it("a channel never observed in a cluster has null quantiles", () => {
    const s = computeReferenceStatistics([row([null, 1, 1, 1, 1])]);
    expect(s.global.channels.RoomService).toEqual({ observed: 0, qMedium: null, qMulti: null, qOutlier: null });
  });
});

describe("θ choice (§3.2)", () => {
  const scores = [0, 0, 1, 1, 1, 2, 2, 3];

  it("is the smallest score whose upper tail does not exceed the target; ties never push the share above it", () => {
    expect(chooseTheta(scores, 0.25)).toEqual({ theta: 3, realisedFragileRate: 0.125 }); // ≥ 2 would be 3/8
    expect(chooseTheta(scores, 0.375)).toEqual({ theta: 2, realisedFragileRate: 0.375 }); // equal to target is allowed
    expect(chooseTheta(scores, 0.7)).toEqual({ theta: 2, realisedFragileRate: 0.375 }); // ≥ 1 would be 6/8
    expect(chooseTheta(scores, 0.75)).toEqual({ theta: 1, realisedFragileRate: 0.75 });
    expect(chooseTheta(scores, 1)).toEqual({ theta: 0, realisedFragileRate: 1 });
  });

  it("when even the top tie group exceeds the target, θ is just above the largest score (nothing fragile)", () => {
    const r = chooseTheta([5, 5, 5, 1], 0.1);
    expect(r.theta).toBe(nextUp(5));
    expect(r.theta).toBeGreaterThan(5);
    expect(r.realisedFragileRate).toBe(0);
  });

  it("does not depend on input order", () => {
    expect(chooseTheta([...scores].reverse(), 0.25)).toEqual(chooseTheta(scores, 0.25));
  });
});

describe("CAP_PER_FEATURE_LOGIT choice (§4.2)", () => {
  it("is the (1 − rate) quantile of the largest |contribution|, so about `rate` of records exceed it", () => {
    const maxAbs = Array.from({ length: 100 }, (_, i) => (i + 1) / 10);
    const cap = chooseCapPerFeature(maxAbs, 0.05);
    expect(cap).toBeCloseTo(9.505, 10);
    expect(maxAbs.filter((m) => m > cap).length).toBe(5);
  });

  it("refuses a rate outside (0, 1) and an empty sample", () => {
    expect(() => chooseCapPerFeature([1], 0)).toThrow(/CAPS_TARGET_RATE/);
    expect(() => chooseCapPerFeature([], 0.05)).toThrow(RangeError);
  });
});
