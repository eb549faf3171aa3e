import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessRecord } from "./assess";
import { compilePolicy } from "./compiled-policy";
import { fragilityScore } from "./fragility";
import { gateBatch } from "./gate-batch";
import { combinedVariance, computeInterval, intervalFromVariance } from "./interval";
import { FLAG_CODES, flagMaskOf } from "./reasons";
import { EARTH_CONTEXT, spendOf, syntheticRecord, syntheticSnapshot } from "./synthetic-policy.test-support";

const policy = syntheticSnapshot();
const compiled = compilePolicy(policy);

describe("§4.1 interval", () => {
  it("worked example, non-fragile: varBase 0.04 + κ_impute·1 + κ_missing·1; flag κ not added", () => {
    const mask = flagMaskOf(["SUPER_DOMINANT", "AGGREGATE_MEDIUM_HIGH", "MISSING_CONTEXT"]);
    const iv = computeInterval(0.8, undefined, 1, 1, false, mask, compiled);
    expect(iv.varCombined).toBeCloseTo(0.94, 12);
    expect(iv.p10).toBeCloseTo(0.5358725247194613, 10);
    expect(iv.p50).toBeCloseTo(0.8, 12);
    expect(iv.p90).toBeCloseTo(0.9326954987667313, 10);
    expect(iv.predictiveWidth).toBeCloseTo(0.39682297404726996, 10);
    expect(iv.decision).toBe(true);
    expect(iv.confidence).toBe(iv.p10);
    expect(iv.varComponents).toEqual([
      { term: "varBase", source: "snapshot", value: 0.04 },
      { term: "impute", count: 1, kappa: 0.3, value: 0.3 },
      { term: "missingContext", count: 1, kappa: 0.6, value: 0.6 },
    ]);
  });

  it("worked example, fragile: the flag κ terms inflate fragile records only", () => {
    const mask = flagMaskOf(["SUPER_DOMINANT", "AGGREGATE_MEDIUM_HIGH", "MISSING_CONTEXT"]);
    const iv = computeInterval(0.8, undefined, 1, 1, true, mask, compiled);
    expect(iv.varCombined).toBeCloseTo(4.64, 12);
    expect(iv.p10).toBeCloseTo(0.2019168959933842, 10);
    expect(iv.p90).toBeCloseTo(0.9844335010472701, 10);
    expect(iv.varComponents.map((c) => (c.term === "flag" ? c.flag : c.term))).toEqual(["varBase", "impute", "missingContext", "SUPER_DOMINANT", "AGGREGATE_MEDIUM_HIGH"]);
  });

  it("negative decision: confidence = 1 − p90; upstream varBase wins over the snapshot's", () => {
    const iv = computeInterval(0.3, 0.04, 0, 0, false, 0, compiled);
    expect(iv.decision).toBe(false);
    expect(iv.p10).toBeCloseTo(0.24906263027772046, 10);
    expect(iv.confidence).toBeCloseTo(0.6435894808065119, 10);
    expect(iv.varComponents).toEqual([{ term: "varBase", source: "upstream", value: 0.04 }]);
    const wide = computeInterval(0.3, 1, 0, 0, false, 0, compiled);
    expect(wide.varCombined).toBe(1);
  });

  it("decision uses DECISION_THRESHOLD (p50 ≥ 0.5 is positive)", () => {
    expect(computeInterval(0.5, undefined, 0, 0, false, 0, compiled).decision).toBe(true);
    expect(computeInterval(0.4999, undefined, 0, 0, false, 0, compiled).decision).toBe(false);
  });

  it("pModel 0 and 1 are clipped, so the interval stays finite", () => {
    const iv = computeInterval(1, undefined, 0, 0, false, 0, compiled);
    expect(Number.isFinite(iv.p10)).toBe(true);
    expect(iv.p50).toBeCloseTo(1 - 1e-6, 12);
  });

  it("property: adding a flag never narrows the interval (fragility recomputed from the score)", () => {
    const bit = fc.integer({ min: 0, max: FLAG_CODES.length - 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: (1 << FLAG_CODES.length) - 1 }),
        bit,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -3, max: 6, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: -2, max: 4, noNaN: true }),
        (mask, extra, pModel, zTop2, missingCh, missingCtx, theta) => {
          const policyTheta = { ...compiled, snapshot: { ...compiled.snapshot, theta } };
          const interval = (m: number) => {
            const fragile = fragilityScore(m, zTop2, missingCh, compiled) >= theta;
            const v = combinedVariance(0.04, missingCh, missingCtx, fragile, m, policyTheta);
            return intervalFromVariance(pModel, v, 0.5);
          };
          const before = interval(mask);
          const after = interval(mask | (1 << extra));
          expect(after.p10).toBeLessThanOrEqual(before.p10);
          expect(after.p90).toBeGreaterThanOrEqual(before.p90);
          expect(after.predictiveWidth).toBeGreaterThanOrEqual(before.predictiveWidth - 1e-15);
          expect(after.confidence).toBeLessThanOrEqual(before.confidence);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a record that gains a flag (a blank required key) gets a wider interval in gateBatch", () => {
    const gate = (ctx: Record<string, string | number | boolean | null>) =>
      gateBatch([syntheticRecord("r", [1500, 1200, 0, 0, 0], { pModel: 0.9, context: ctx })], policy, { batchId: "b", now: "t" }).results[0];
    const full = gate(EARTH_CONTEXT);
    const blankCabin = gate({ ...EARTH_CONTEXT, Cabin: "" });
    expect(blankCabin?.flags).toContain("MISSING_CONTEXT");
    expect(full?.flags).not.toContain("MISSING_CONTEXT");
    expect((blankCabin?.predictiveWidth ?? 0) > (full?.predictiveWidth ?? 1)).toBe(true);
    expect(assessRecord({ spend: spendOf([1500, 1200, 0, 0, 0]), context: EARTH_CONTEXT }, policy).fragilityScore).toBeLessThan(
      assessRecord({ spend: spendOf([1500, 1200, 0, 0, 0]), context: { ...EARTH_CONTEXT, Cabin: "" } }, policy).fragilityScore,
    );
  });
});
