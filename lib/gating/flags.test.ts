import { describe, expect, it } from "vitest";
import { assessRecord } from "./assess";
import { compilePolicy } from "./compiled-policy";
import { fragilityScore } from "./fragility";
import { FLAG_CODES, flagMaskOf, type FlagCode } from "./reasons";
import { contributionsFor, EARTH_CONTEXT, spendOf, syntheticSnapshot, type SpendVector } from "./synthetic-policy.test-support";

const policy = syntheticSnapshot();
const flagsOf = (spend: SpendVector, context: Record<string, string | number | boolean | null> = EARTH_CONTEXT, p = policy) =>
  assessRecord({ spend: spendOf(spend), context }, p).flags;

describe("§3.1 flags", () => {
  it("SUPER_DOMINANT: share ≥ 0.75, or top1 ≥ the cluster's q995 of its channel; never when total ≤ tol", () => {
    expect(flagsOf([80, 20, 0, 0, 0])).toContain("SUPER_DOMINANT"); // share 0.8
    expect(flagsOf([74, 26, 0, 0, 0])).not.toContain("SUPER_DOMINANT"); // share 0.74, below q995
    expect(flagsOf([1000, 900, 0, 0, 0])).toContain("SUPER_DOMINANT"); // share 0.53 but 1000 ≥ q995
    expect(flagsOf([0, 0, 0, 0, 0])).not.toContain("SUPER_DOMINANT");
  });

  it("MULTI_HIGH_SPEND: at least two channels strictly above q90", () => {
    expect(flagsOf([101, 101, 0, 0, 0])).toContain("MULTI_HIGH_SPEND");
    expect(flagsOf([101, 100, 0, 0, 0])).not.toContain("MULTI_HIGH_SPEND");
  });

  it("AGGREGATE_MEDIUM_HIGH: two channels above q75 and (top2Sum ≥ 800 or its percentile ≥ 0.85)", () => {
    expect(flagsOf([500, 400, 0, 0, 0])).toContain("AGGREGATE_MEDIUM_HIGH"); // top2Sum 900 ≥ 800
    expect(flagsOf([20, 20, 0, 0, 0])).not.toContain("AGGREGATE_MEDIUM_HIGH"); // 40: low and 4th percentile
    expect(flagsOf([900, 0, 0, 0, 0])).not.toContain("AGGREGATE_MEDIUM_HIGH"); // only one channel above q75
    const highAbs = syntheticSnapshot({ thresholds: { TOP2_SUM_ABS_LOW: 5000 } });
    expect(flagsOf([500, 400, 0, 0, 0], EARTH_CONTEXT, highAbs)).toContain("AGGREGATE_MEDIUM_HIGH"); // percentile 0.90
    expect(flagsOf([400, 400, 0, 0, 0], EARTH_CONTEXT, highAbs)).not.toContain("AGGREGATE_MEDIUM_HIGH"); // percentile 0.80
  });

  it("MISSING_CONTEXT: a required key null, absent or blank", () => {
    expect(flagsOf([1, 0, 0, 0, 0], { ...EARTH_CONTEXT, Cabin: null })).toContain("MISSING_CONTEXT");
    expect(flagsOf([1, 0, 0, 0, 0], { ...EARTH_CONTEXT, Cabin: "" })).toContain("MISSING_CONTEXT");
    expect(flagsOf([1, 0, 0, 0, 0], { ...EARTH_CONTEXT, VIP: null })).not.toContain("MISSING_CONTEXT");
  });

  it("IMPUTED_ZERO_ALL: observed spends all ≤ tol and at least one missing", () => {
    expect(flagsOf([0, 0, null, 0, 0])).toContain("IMPUTED_ZERO_ALL");
    expect(flagsOf([0, 0, 0, 0, 0])).not.toContain("IMPUTED_ZERO_ALL");
    expect(flagsOf([0, 5e-7, null, 0, 0])).toContain("IMPUTED_ZERO_ALL"); // within SPEND_ZERO_TOLERANCE
    expect(flagsOf([0, 1, null, 0, 0])).not.toContain("IMPUTED_ZERO_ALL");
  });

  it("CRYO_UNKNOWN_ALLZERO and CRYO_CONFLICT", () => {
    expect(flagsOf([0, 0, 0, 0, 0], { ...EARTH_CONTEXT, CryoSleep: null })).toContain("CRYO_UNKNOWN_ALLZERO");
    expect(flagsOf([0, 3, 0, 0, 0], { ...EARTH_CONTEXT, CryoSleep: null })).not.toContain("CRYO_UNKNOWN_ALLZERO");
    expect(flagsOf([0, 3, 0, 0, 0], { ...EARTH_CONTEXT, CryoSleep: true })).toContain("CRYO_CONFLICT");
    expect(flagsOf([0, 0, 0, 0, 0], { ...EARTH_CONTEXT, CryoSleep: true })).not.toContain("CRYO_CONFLICT");
    expect(flagsOf([0, 3, 0, 0, 0], { ...EARTH_CONTEXT, CryoSleep: false })).not.toContain("CRYO_CONFLICT");
  });

  it("PER_FEATURE_OUTLIER: some spend > tol and ≥ its cluster q995", () => {
    expect(flagsOf([0, 0, 0, 1000, 0])).toContain("PER_FEATURE_OUTLIER");
    expect(flagsOf([0, 0, 0, 999, 0])).not.toContain("PER_FEATURE_OUTLIER");
  });

  it("CAPS_TRIGGERED comes from the contributions", () => {
    const withCaps = assessRecord({ spend: spendOf([1, 0, 0, 0, 0]), context: EARTH_CONTEXT, logitContributions: contributionsFor(0.6, [0.7, 0, 0, 0, 0]) }, policy);
    expect(withCaps.flags).toContain("CAPS_TRIGGERED");
    const within = assessRecord({ spend: spendOf([1, 0, 0, 0, 0]), context: EARTH_CONTEXT, logitContributions: contributionsFor(0.6, [0.6, 0, 0, 0, 0]) }, policy);
    expect(within.flags).not.toContain("CAPS_TRIGGERED");
  });

  it("lists the true flags in the §3.1 table's order", () => {
    const a = assessRecord(
      { spend: spendOf([1500, 1200, null, 0, 0]), context: { HomePlanet: "Mars", Destination: null, Cabin: null, CryoSleep: true }, logitContributions: contributionsFor(0.6, [2, 0, 0, 0, 0]) },
      policy,
    );
    const expected: FlagCode[] = ["MULTI_HIGH_SPEND", "AGGREGATE_MEDIUM_HIGH", "MISSING_CONTEXT", "CRYO_CONFLICT", "SMALL_CLUSTER", "CAPS_TRIGGERED"];
    expect(a.flags).toEqual(expected);
    expect(a.flags).toEqual(FLAG_CODES.filter((c) => a.flags.includes(c)));
  });
});

describe("§3.2 fragility score", () => {
  const compiled = compilePolicy(policy);
  const w = policy.thresholds.FRAGILITY_WEIGHTS;

  it("sums flag weights, 0.25 × clamp(zTop2, 0, 3) and 0.3 per missing channel", () => {
    const mask = flagMaskOf(["SUPER_DOMINANT", "MISSING_CONTEXT"]);
    expect(fragilityScore(mask, 1.2, 2, compiled)).toBeCloseTo(w.SUPER_DOMINANT + w.MISSING_CONTEXT + 0.25 * 1.2 + 0.3 * 2, 12);
    expect(fragilityScore(0, 7, 0, compiled)).toBeCloseTo(0.75, 12); // z clamped to 3
    expect(fragilityScore(0, -2, 0, compiled)).toBe(0); // z clamped to 0
  });

  it("CAPS_TRIGGERED weighs only when the snapshot expects contributions", () => {
    const mask = flagMaskOf(["CAPS_TRIGGERED"]);
    expect(fragilityScore(mask, 0, 0, compiled)).toBe(0);
    const expecting = compilePolicy(syntheticSnapshot({ contributionsExpected: true }));
    expect(fragilityScore(mask, 0, 0, expecting)).toBe(w.CAPS_TRIGGERED);
  });

  it("a record's score matches its flags and topology", () => {
    const a = assessRecord({ spend: spendOf([500, 50, null, 0, 5]), context: EARTH_CONTEXT }, policy);
    expect(a.flags).toEqual(["SUPER_DOMINANT"]); // share 0.90; top2Sum 550 is neither ≥ 800 nor ≥ the 85th percentile
    expect(a.fragilityScore).toBeCloseTo(w.SUPER_DOMINANT + 0.25 * 2.2887013251202686 + 0.3, 12);
  });
});
