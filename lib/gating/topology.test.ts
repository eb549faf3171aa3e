import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessRecord } from "./assess";
import { gateBatch } from "./gate-batch";
import type { VarComponent } from "./interval";
import { deriveClusterId } from "./topology";
import { EARTH_CONTEXT, spendOf, SYNTHETIC_CLUSTER, syntheticRecord, syntheticSnapshot, type SpendVector } from "./synthetic-policy.test-support";
import { REFERENCE_CHANNELS } from "./schemas";

const policy = syntheticSnapshot();
const topo = (spend: SpendVector, context: Record<string, string | number | boolean | null> = EARTH_CONTEXT) =>
  assessRecord({ spend: spendOf(spend), context }, policy).topology;

describe("§2 topology", () => {
  it("computes the worked example against the cluster's statistics", () => {
    const t = topo([500, 50, null, 0, 5]);
    expect(t.clusterId).toBe(SYNTHETIC_CLUSTER);
    expect(t.observedCount).toBe(4);
    expect(t.missingChannelCount).toBe(1);
    expect(t.missingChannels).toEqual(["ShoppingMall"]);
    expect(t.total).toBe(555);
    expect(t.top1Value).toBe(500);
    expect(t.top1Channel).toBe("RoomService");
    expect(t.top1Share).toBeCloseTo(500 / 555, 12);
    expect(t.top2Sum).toBe(550);
    expect(t.top3Sum).toBe(555);
    expect(t.entropy).toBeCloseTo(0.3532881334857612, 12);
    expect(t.gini).toBeCloseTo(0.6959459459459459, 12);
    expect(t.nonZeroCount).toBe(3);
    expect(t.countAboveQ75).toBe(2); // 500 and 50 > 10; 5 and 0 are not
    expect(t.countAboveQ90).toBe(1); // only 500 > 100
    expect(t.top2SumPctile).toBe(0.55); // 0, 10, …, 540 are strictly below 550
    expect(t.zTop2).toBeCloseTo(2.2887013251202686, 12);
    expect(t.missingContext).toEqual([]);
  });

  it("breaks top-1 ties by channel order", () => {
    const t = topo([100, 300, 300, null, 0]);
    expect(t.top1Channel).toBe("FoodCourt");
    expect(t.top2Sum).toBe(600);
    expect(t.top3Sum).toBe(700);
  });

  it("strictly above: a spend equal to q75 does not count", () => {
    expect(topo([10, 10.0001, 0, 0, 0]).countAboveQ75).toBe(1);
    expect(topo([100, 100, 0, 0, 0]).countAboveQ90).toBe(0);
  });

  it("an all-missing record is valid: IMPUTED_ZERO_ALL, top1Channel null, score = 5 × w_missingChannel + flag weights", () => {
    const a = assessRecord({ spend: spendOf([null, null, null, null, null]), context: EARTH_CONTEXT }, policy);
    expect(a.topology.observedCount).toBe(0);
    expect(a.topology.total).toBe(0);
    expect(a.topology.top1Channel).toBeNull();
    expect(a.topology.top1Share).toBe(0);
    expect(a.topology.entropy).toBe(0);
    expect(a.topology.gini).toBe(0);
    expect(a.flags).toEqual(["IMPUTED_ZERO_ALL"]);
    const w = policy.thresholds;
    expect(a.fragilityScore).toBeCloseTo(5 * w.FRAGILITY_WEIGHT_MISSING_CHANNEL + w.FRAGILITY_WEIGHTS.IMPUTED_ZERO_ALL, 12);
    expect(a.fragilityScore).toBeCloseTo(2.1, 12);
    // With CryoSleep unknown too, its weight adds.
    const b = assessRecord({ spend: spendOf([null, null, null, null, null]), context: { ...EARTH_CONTEXT, CryoSleep: null } }, policy);
    expect(b.flags).toEqual(["IMPUTED_ZERO_ALL", "CRYO_UNKNOWN_ALLZERO"]);
    expect(b.fragilityScore).toBeCloseTo(2.7, 12);
  });

  it("gini is 0 for equal spends and for an empty vector; entropy is ln k for k equal spends", () => {
    expect(topo([7, 7, 7, 7, null]).gini).toBe(0);
    expect(topo([7, 7, 7, 7, null]).entropy).toBeCloseTo(Math.log(4), 12);
    expect(topo([0, 0, 10, null, null]).gini).toBeCloseTo(2 / 3, 12);
  });

  it("clusters: key parts joined by |, a missing part written ∅; unknown and small clusters use the global statistics", () => {
    expect(deriveClusterId({ HomePlanet: null, Destination: "TRAPPIST-1e" }, ["HomePlanet", "Destination"])).toBe("∅|TRAPPIST-1e");
    expect(deriveClusterId({ HomePlanet: " ", Destination: undefined }, ["HomePlanet", "Destination"])).toBe("∅|∅");
    const unknown = assessRecord({ spend: spendOf([500, 50, null, 0, 5]), context: { ...EARTH_CONTEXT, Destination: "Kepler" } }, policy);
    expect(unknown.cluster).toMatchObject({ clusterId: "Earth|Kepler", n: 0, known: false, small: true, statisticsSource: "global" });
    expect(unknown.flags).toContain("SMALL_CLUSTER");
    expect(unknown.topology.top2SumPctile).toBe(0.28); // global: 0, 20, …, 540 below 550
    expect(unknown.topology.countAboveQ75).toBe(2); // global q75 = 20: 500 and 50
    expect(unknown.topology.zTop2).toBeCloseTo(Math.log1p(550) - Math.log1p(200), 12); // MAD 0 → IQR/1.349 = 1
    const small = assessRecord({ spend: spendOf([1, 0, 0, 0, 0]), context: { ...EARTH_CONTEXT, HomePlanet: "Mars", Destination: null } }, policy);
    expect(small.cluster).toMatchObject({ clusterId: "Mars|∅", n: 10, known: true, small: true, statisticsSource: "global" });
    expect(small.flags).toContain("SMALL_CLUSTER");
    // μ_blend = N/(N+τ)·μ_cluster + τ/(N+τ)·μ_global = 10/70·0.5 + 60/70·0.5
    expect(small.cluster.muBlend).toBeCloseTo(0.5, 12);
    const known = assessRecord({ spend: spendOf([1, 0, 0, 0, 0]), context: EARTH_CONTEXT }, policy);
    expect(known.cluster.muBlend).toBeCloseTo((100 / 160) * 0.3 + (60 / 160) * 0.5, 12);
  });

  it("an upstream clusterId overrides the derived cluster", () => {
    const a = assessRecord({ spend: spendOf([1, 0, 0, 0, 0]), context: { HomePlanet: "Mars" }, clusterId: SYNTHETIC_CLUSTER }, policy);
    expect(a.cluster.clusterId).toBe(SYNTHETIC_CLUSTER);
    expect(a.flags).not.toContain("SMALL_CLUSTER");
  });

  it("missing context: null, absent and blank are missing, in REQUIRED_CONTEXT_KEYS order", () => {
    const t = topo([1, 0, 0, 0, 0], { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "  " });
    expect(t.missingContext).toEqual(["Cabin"]);
    expect(topo([1, 0, 0, 0, 0], { Cabin: "A/1/P" }).missingContext).toEqual(["HomePlanet", "Destination"]);
  });
});

describe("§10 null is not zero", () => {
  const value = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true }), fc.integer({ min: 0, max: 3000 }));
  const vector = fc
    .tuple(fc.array(fc.option(value, { nil: null }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 4 }))
    .map(([v, i]) => {
      const out = [...v] as SpendVector;
      out[i] = null; // at least one null
      return { withNull: out, nullIndex: i };
    });

  it("replacing a null by 0 changes the provenance's missingChannelCount, missing channels and variance", () => {
    const imputeCount = (components: readonly VarComponent[]) => components.find((c) => c.term === "impute")?.count ?? 0;
    fc.assert(
      fc.property(vector, ({ withNull, nullIndex }) => {
        const channel = REFERENCE_CHANNELS[nullIndex] as string;
        const zeroed = [...withNull] as SpendVector;
        zeroed[nullIndex] = 0;
        const a = assessRecord({ spend: spendOf(withNull), context: EARTH_CONTEXT }, policy);
        const b = assessRecord({ spend: spendOf(zeroed), context: EARTH_CONTEXT }, policy);
        expect(b.topology.missingChannelCount).toBe(a.topology.missingChannelCount - 1);
        const gate = (v: SpendVector) => gateBatch([syntheticRecord("r1", v, { pModel: 0.7 })], policy, { batchId: "b", now: "t" }).results[0]!.provenance;
        const pa = gate(withNull);
        const pb = gate(zeroed);
        // Named fields, not serialised text (where null and 0 differ trivially in `spend`).
        expect(pb.topology.missingChannelCount).toBe(pa.topology.missingChannelCount - 1);
        expect(pa.topology.missingChannels).toContain(channel);
        expect(pb.topology.missingChannels).not.toContain(channel);
        expect(pa.missingChannels[channel]).toBe(true);
        expect(pb.missingChannels[channel]).toBe(false);
        // The missing channel widens the interval: one more κ_impute term.
        expect(imputeCount(pa.varComponents)).toBe(imputeCount(pb.varComponents) + 1);
        expect(pa.varCombined).toBeGreaterThan(pb.varCombined);
      }),
      { numRuns: 200 },
    );
  });
});
