import { describe, expect, it } from "vitest";
import { createPrng } from "@/lib/scorer/prng";
import { binomialLowerTail, chooseReleaseBar, clopperPearsonUpper, releaseBarGrid, type ReleaseCandidate } from "./release-guarantee";

describe("Clopper–Pearson upper bound", () => {
  it("matches the closed form at k = 0 and known values elsewhere", () => {
    // k = 0: 1 − (α/2)^(1/n)
    expect(clopperPearsonUpper(0, 10)).toBeCloseTo(1 - 0.025 ** (1 / 10), 9);
    expect(clopperPearsonUpper(5, 10)).toBeCloseTo(0.812914, 5);
    expect(clopperPearsonUpper(157, 1237)).toBeGreaterThan(157 / 1237);
    expect(clopperPearsonUpper(3, 0)).toBe(1);
    expect(clopperPearsonUpper(10, 10)).toBe(1);
  });

  it("is where the lower tail equals 2.5 %", () => {
    const u = clopperPearsonUpper(40, 300);
    expect(binomialLowerTail(40, 300, u)).toBeCloseTo(0.025, 6);
  });
});

/**
 * Synthetic calibration data where the truth is known: confidence c ~ U(0.5, 1) and the
 * machine label is wrong with probability 1 − c, so the true error rate among records
 * with c ≥ b is (1 − b) / 2, which equals 0.15 at b = 0.7.
 */
function synthetic(seed: number, n: number): ReleaseCandidate[] {
  const prng = createPrng(seed);
  return Array.from({ length: n }, () => {
    const confidence = 0.5 + prng.nextFloat() / 2;
    return { confidence, error: prng.nextFloat() < 1 - confidence };
  });
}
// Rounded so that bar 0.7 (true rate exactly 0.15) is not lost to floating point.
const trueErrorAtBar = (bar: number) => Math.round(((1 - bar) / 2) * 1e9) / 1e9;

describe("release guarantee (fixed-sequence binomial test)", () => {
  const bars = releaseBarGrid(0.95, 0.5, 0.005);

  it("keeps the true released error rate ≤ target in at least 95 % of seeded repetitions", () => {
    const repetitions = 400;
    let held = 0;
    const chosen: number[] = [];
    for (let rep = 0; rep < repetitions; rep++) {
      const g = chooseReleaseBar(synthetic(1000 + rep, 1500), bars, 0.15, 0.05);
      chosen.push(g.csAccept);
      if (trueErrorAtBar(g.csAccept) <= 0.15) held++;
    }
    expect(held / repetitions).toBeGreaterThanOrEqual(0.95);
    // …and it is not trivially strict: on average the bar lands close to the true 0.7.
    const meanBar = chosen.reduce((a, b) => a + b, 0) / chosen.length;
    expect(meanBar).toBeGreaterThan(0.7);
    expect(meanBar).toBeLessThan(0.76);
  });

  it("choosing the loosest bar whose observed error is under target (no test) breaks the guarantee", () => {
    // The naive rule this replaces: it fails about half the time, so the test above can fail.
    let held = 0;
    for (let rep = 0; rep < 200; rep++) {
      const c = synthetic(5000 + rep, 1500);
      let bar = bars[0]!;
      for (const b of bars) {
        const released = c.filter((x) => x.confidence >= b);
        if (released.filter((x) => x.error).length / released.length <= 0.15) bar = b;
        else break;
      }
      if (trueErrorAtBar(bar) <= 0.15) held++;
    }
    expect(held / 200).toBeLessThan(0.9);
  });

  it("stops at the first bar not rejected and reports every bar it tested", () => {
    const g = chooseReleaseBar(synthetic(7, 2000), bars, 0.15, 0.05);
    expect(g.reached).toBe(true);
    const last = g.tests[g.tests.length - 1]!;
    expect(last.rejected).toBe(false);
    expect(g.tests.slice(0, -1).every((t) => t.rejected)).toBe(true);
    expect(g.csAccept).toBe(g.tests[g.tests.length - 2]!.bar);
    expect(last.pValue).toBeCloseTo(binomialLowerTail(last.errors, last.released, 0.15), 12);
  });

  it("says so and sets the strictest bar when too few labelled records reach the target", () => {
    const g = chooseReleaseBar(synthetic(9, 12), bars, 0.15, 0.05);
    expect(g.reached).toBe(false);
    expect(g.csAccept).toBe(bars[0]);
    expect(g.tests).toHaveLength(1);
  });

  it("refuses a target or δ outside (0, 0.5) and a grid that is not strict to loose", () => {
    expect(() => chooseReleaseBar([], bars, 0.5, 0.05)).toThrow(/TARGET_RELEASE_ERROR/);
    expect(() => chooseReleaseBar([], bars, 0.15, 0)).toThrow(/RELEASE_DELTA/);
    expect(() => chooseReleaseBar([], [0.6, 0.7], 0.15, 0.05)).toThrow(/strict to loose/);
  });

  it("builds the default grid from CS down to 0.5 in steps of 0.005", () => {
    const grid = releaseBarGrid(0.8);
    expect(grid[0]).toBe(0.8);
    expect(grid[grid.length - 1]).toBe(0.5);
    expect(grid).toHaveLength(61);
  });
});
