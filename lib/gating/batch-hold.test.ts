import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomialUpperTail, evaluateBatchHold, logBinomialUpperTail, logFactorial, minimumHeldCount } from "./batch-hold";

/** Exact P(X ≥ k) for p = a/b with BigInt arithmetic (independent of the implementation). */
function exactTail(k: number, n: number, a: number, b: number): number {
  let num = 0n;
  let c = 1n; // C(n, i)
  for (let i = 0; i <= n; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) num += c * BigInt(a) ** BigInt(i) * BigInt(b - a) ** BigInt(n - i);
  }
  const den = BigInt(b) ** BigInt(n);
  if (num === 0n) return 0;
  // Scale so the integer quotient keeps ~20 significant digits whatever the magnitude.
  const digits = den.toString().length - num.toString().length + 20;
  return Number((num * 10n ** BigInt(digits)) / den) * 10 ** -digits;
}

describe("§6.2 binomial tail", () => {
  it("matches exact rational arithmetic (p = 1/25 = 0.04)", () => {
    for (const [k, n] of [[3, 10], [2, 10], [8, 100], [7, 100], [1, 1], [0, 5], [5, 5], [20, 60]] as const) {
      const exact = exactTail(k, n, 1, 25);
      expect(Math.abs(binomialUpperTail(k, n, 0.04) - exact) / Math.max(exact, 1e-300)).toBeLessThan(1e-9);
    }
  });

  it("property: agrees with exact arithmetic for random n ≤ 120, k and p = a/b", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 121 }), fc.integer({ min: 1, max: 49 }), (n, k, a) => {
        const exact = exactTail(k, n, a, 50);
        const got = binomialUpperTail(k, n, a / 50);
        if (exact === 0) expect(got).toBe(0);
        else expect(Math.abs(got - exact) / exact).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("is stable for large n in log space (no underflow to garbage, no NaN)", () => {
    expect(logBinomialUpperTail(5000, 10000, 0.04)).toBeLessThan(-5000);
    expect(Number.isFinite(logBinomialUpperTail(5000, 10000, 0.04))).toBe(true);
    expect(binomialUpperTail(1, 10000, 0.04)).toBe(1); // 1 − 0.96^10000 = 1 − e^-408
    // Tails near 1 are computed as 1 − the small lower tail, so they keep full precision.
    expect(Math.abs(binomialUpperTail(2, 60, 0.04) / exactTail(2, 60, 1, 25) - 1)).toBeLessThan(1e-13);
    expect(binomialUpperTail(400, 10000, 0.04)).toBeGreaterThan(0.49);
    expect(binomialUpperTail(400, 10000, 0.04)).toBeLessThan(0.52);
    expect(logFactorial(300)).toBeCloseTo(1414.905849945068, 9); // ln(300!) = lgamma(301)
    expect(logFactorial(10000)).toBeCloseTo(82108.92783681434, 8);
  });

  it("edge cases: k ≤ 0 → 1, k > n → 0, p = 0 / 1", () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
  });
});

describe("§6.2 batch hold", () => {
  it("reference points at the defaults and base rate 0.04: 10 → 3, 100 → 8, 1,000 → 51", () => {
    expect(minimumHeldCount(10, 0.04, 0.05, 0.05)).toBe(3);
    expect(minimumHeldCount(100, 0.04, 0.05, 0.05)).toBe(8);
    expect(minimumHeldCount(1000, 0.04, 0.05, 0.05)).toBe(51);
    // The calibrated realised rate on all rows (≈ 0.0399) gives the same points.
    expect([10, 100, 1000].map((n) => minimumHeldCount(n, 0.03991717473829518, 0.05, 0.05))).toEqual([3, 8, 51]);
  });

  it("without the guard a 5 % threshold holds about 37 % of batches of 100 by chance", () => {
    expect(binomialUpperTail(5, 100, 0.04)).toBeCloseTo(0.371, 3);
  });

  it("BATCH_HOLD_ALPHA = 1 is the seed's literal rule (fraction ≥ threshold holds)", () => {
    expect(evaluateBatchHold(1, 20, 0.04, 0.05, 1).hold).toBe(true);
    expect(evaluateBatchHold(1, 20, 0.04, 0.05, 0.05).hold).toBe(false);
    expect(evaluateBatchHold(0, 20, 0.04, 0, 1).hold).toBe(true);
  });

  it("BATCH_HOLD_MIN_N: a smaller batch is never held, whatever its figures, which are still reported", () => {
    const four = evaluateBatchHold(4, 4, 0.04, 0.05, 0.05, 5);
    expect(four).toMatchObject({ size: 4, fragileCount: 4, fragileFraction: 1, minSize: 5, hold: false });
    expect(four.pValue).toBeCloseTo(0.04 ** 4, 15);
    expect(evaluateBatchHold(4, 4, 0.04, 0.05, 0.05, 4).hold).toBe(true);
    expect(evaluateBatchHold(5, 5, 0.04, 0.05, 0.05, 5).hold).toBe(true);
    expect(minimumHeldCount(4, 0.04, 0.05, 0.05, 5)).toBe(5);
    expect(minimumHeldCount(5, 0.04, 0.05, 0.05, 5)).toBe(2);
    expect(minimumHeldCount(1, 0.04, 0.05, 0.05, 5)).toBe(2);
    expect(minimumHeldCount(1, 0.04, 0.05, 0.05)).toBe(1);
    expect(minimumHeldCount(10, 0.04, 0.05, 0.05, 5)).toBe(3);
  });

  it("reports fraction, p-value, threshold and alpha", () => {
    const e = evaluateBatchHold(3, 10, 0.04, 0.05, 0.05);
    expect(e).toMatchObject({ size: 10, fragileCount: 3, fragileFraction: 0.3, threshold: 0.05, alpha: 0.05, minSize: 1, hold: true });
    expect(e.pValue).toBeCloseTo(0.006213715991870853, 12);
  });

  it("property: holding is monotone — more fragile records, a lower threshold or a higher alpha never release", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (n, kShare, threshold, alpha, base) => {
          const k = Math.floor(kShare * n);
          const held = evaluateBatchHold(k, n, base, threshold, alpha).hold;
          if (!held) return;
          expect(evaluateBatchHold(Math.min(n, k + 1), n, base, threshold, alpha).hold).toBe(true);
          expect(evaluateBatchHold(k, n, base, threshold * 0.9, alpha).hold).toBe(true);
          expect(evaluateBatchHold(k, n, base, threshold, Math.min(1, alpha * 1.1 + 1e-9)).hold).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
