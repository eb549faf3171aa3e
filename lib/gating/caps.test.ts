import { describe, expect, it } from "vitest";
import { applyLogitCaps, capChannelContributions, capScalars } from "./caps";
import { compilePolicy } from "./compiled-policy";
import { sigmoid } from "./numeric";
import { syntheticSnapshot } from "./synthetic-policy.test-support";

const settings = { cap: 0.6, topKSumCap: 1.0, k: 3 };

describe("§4.2 logit caps and top-k dampening", () => {
  it("worked example: clamp to ±0.6, then scale the top 3 (sum 1.4 > 1.0) by 1/1.4", () => {
    const r = capChannelContributions([1.0, -0.5, 0.3, 0.2, 0.0], settings);
    const expected = [0.6 / 1.4, -0.5 / 1.4, 0.3 / 1.4, 0.2, 0];
    r.final.forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 12));
    expect(r.capsTriggered).toBe(true);
    expect(r.topKScaled).toBe(true);
    expect(r.maxAbsRaw).toBe(1);
    // Σ|raw| = 2.0, Σ|final| = 1.2 → capsScaling = 0.4
    expect(r.capsScaling).toBeCloseTo(0.4, 12);
  });

  it("no cap and no dampening below the limits: capsScaling 0", () => {
    const r = capChannelContributions([0.3, -0.2, 0.1, 0.05, 0], settings);
    expect(r.final).toEqual([0.3, -0.2, 0.1, 0.05, 0]);
    expect(r.capsTriggered).toBe(false);
    expect(r.capsScaling).toBe(0);
  });

  it("ties among the k largest go to the earlier channel; dampening alone does not trigger caps", () => {
    const r = capChannelContributions([0.5, 0.5, 0.5, 0.5, 0], settings);
    const f = 1 / 1.5;
    expect(r.final.map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.5 * f, 0.5 * f, 0.5 * f, 0.5, 0].map((x) => Math.round(x * 1e12) / 1e12));
    expect(r.capsTriggered).toBe(false);
    expect(r.capsScaling).toBeCloseTo(0.25, 12);
  });

  it("all-zero contributions: capsScaling is 0, not NaN", () => {
    expect(capChannelContributions([0, 0, 0, 0, 0], settings).capsScaling).toBe(0);
  });

  it("sums features per channel through the feature → channel map; other features pass through to pCapped", () => {
    const compiled = compilePolicy(syntheticSnapshot());
    const out = applyLogitCaps(
      { base: -0.2, byFeature: { RoomService: 0.7, RoomService_missing: 0.3, FoodCourt: -0.5, ShoppingMall: 0.3, Spa: 0.2, Age: 0.1 } },
      compiled,
    );
    expect(out.raw).toEqual([1.0, -0.5, 0.3, 0.2, 0]);
    expect(out.nonChannel).toBeCloseTo(0.1, 12);
    expect(out.maxAbsRawChannel).toBe("RoomService");
    expect(out.capsScaling).toBeCloseTo(0.4, 12);
    expect(out.pCapped).toBeCloseTo(sigmoid(-0.2 + 0.6 / 1.4 - 0.5 / 1.4 + 0.3 / 1.4 + 0.2 + 0.1), 12);
    expect(out.pCapped).toBeCloseTo(0.5952505765163524, 12);
  });

  it("records listing their features in another order, or other features, are summed by their own names, not by the order seen before", () => {
    const snapshot = syntheticSnapshot();
    const compiled = compilePolicy(snapshot);
    const usual = { base: 0, byFeature: { RoomService: 0.7, RoomService_missing: 0.3, FoodCourt: -0.5, ShoppingMall: 0.3, Spa: 0.2, Age: 0.1 } };
    const others: { base: number; byFeature: Record<string, number> }[] = [
      { base: 0, byFeature: { Age: 0.1, Spa: 0.2, ShoppingMall: 0.3, FoodCourt: -0.5, RoomService_missing: 0.3, RoomService: 0.7 } },
      { base: 0, byFeature: { RoomService: 0.7, FoodCourt: -0.5, Extra: 0.4, ShoppingMall: 0.3, Spa: 0.2, Age: 0.1 } },
      { base: 0, byFeature: { RoomService: 0.7, RoomService_missing: 0.3, FoodCourt: -0.5 } },
    ];
    for (const other of others) {
      applyLogitCaps(usual, compiled);
      // A copy of the snapshot compiles afresh, with no order learnt from earlier records.
      expect(applyLogitCaps(other, compiled)).toEqual(applyLogitCaps(other, compilePolicy(structuredClone(snapshot))));
    }
    expect(applyLogitCaps(others[0]!, compiled).raw).toEqual([1.0, -0.5, 0.3, 0.2, 0]);
  });

  it("the gate's scalars read two-feature terms by name and sum longer terms in the record's order: the outcome's figures either way", () => {
    const twoPerTerm = compilePolicy(syntheticSnapshot());
    const threeInOne = compilePolicy(syntheticSnapshot({ featureChannelMap: { ...twoPerTerm.snapshot.featureChannelMap, RoomService_log1p: "RoomService", RoomService_bucket: "RoomService" } }));
    expect(twoPerTerm.sumTerms).not.toBeNull();
    expect(threeInOne.sumTerms).toBeNull();
    // Values whose sum depends on the order of three terms: (0.1 + 0.2) + 0.3 ≠ 0.1 + (0.2 + 0.3).
    const contributions = { base: 0, byFeature: { RoomService_bucket: 0.3, FoodCourt: 2, RoomService: 0.1, RoomService_missing: 0.2, RoomService_log1p: 0.7, Spa: -0.9, Age: 0.4 } };
    for (const compiled of [twoPerTerm, threeInOne]) {
      const outcome = applyLogitCaps(contributions, compiled);
      expect({ ...capScalars(contributions, compiled) }).toEqual({
        capsTriggered: outcome.capsTriggered,
        maxAbsRaw: outcome.maxAbsRaw,
        maxIdx: outcome.terms.indexOf(outcome.maxAbsRawChannel as string),
        topKScaled: outcome.topKScaled,
        capsScaling: outcome.capsScaling,
      });
    }
  });
});

describe("§4.2 spend-derived features are capped as terms of their own", () => {
  it("a log total spend cannot carry a spend signal past the cap by being summed first", () => {
    const withDerived = compilePolicy(syntheticSnapshot({ spendDerivedFeatures: ["TotalSpend_log1p"] }));
    const without = compilePolicy(syntheticSnapshot());
    const contributions = { base: 0, byFeature: { RoomService: 0.1, TotalSpend_log1p: 2.0, Age: 0.3 } };
    const capped = applyLogitCaps(contributions, withDerived);
    expect(capped.terms).toEqual(["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck", "TotalSpend_log1p"]);
    expect(capped.capsTriggered).toBe(true);
    expect(capped.maxAbsRaw).toBe(2.0);
    expect(capped.maxAbsRawChannel).toBe("TotalSpend_log1p");
    expect(capped.nonChannel).toBeCloseTo(0.3, 12);
    // Capped at 0.6; 0.1 + 0.6 is under the top-k limit, so the total is 0.7 + 0.3.
    expect(capped.pCapped).toBeCloseTo(sigmoid(1.0), 12);
    // Without the declaration the same feature passes untouched (what the issue found).
    const uncapped = applyLogitCaps(contributions, without);
    expect(uncapped.capsTriggered).toBe(false);
    expect(uncapped.nonChannel).toBeCloseTo(2.3, 12);
  });

  it("a feature cannot be both a channel's own and spend-derived", () => {
    expect(() => syntheticSnapshot({ spendDerivedFeatures: ["Spa"] })).toThrow(/spendDerivedFeatures\[0\]: must not also be in featureChannelMap/);
  });
});
