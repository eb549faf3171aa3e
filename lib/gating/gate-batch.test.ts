import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessRecord } from "./assess";
import { compilePolicy } from "./compiled-policy";
import type { InheritedHold } from "./batch-hold";
import { gateBatch, type GatingResult } from "./gate-batch";
import { computeInterval } from "./interval";
import { batchArb, referenceSnapshot, scoreFieldsArb, referenceRows, scoredFromRow } from "./reference-data.test-support";
import { GATING_CORE_VERSION, MAX_BATCH_SIZE, type FragileGates, type PolicySnapshot, type ScoredRecord } from "./schemas";
import { contributionsFor, syntheticRecord, syntheticSnapshot, type SpendVector } from "./synthetic-policy.test-support";
import { validatePolicySnapshot } from "./validation";

const NOW = "2026-01-01T00:00:00.000Z";
const codes = (r: GatingResult | undefined) => r?.reasons.map((x) => x.code);

/** Fragile under the synthetic policy (θ 1.5): SUPER_DOMINANT, MULTI_HIGH_SPEND, AGGREGATE_MEDIUM_HIGH, PER_FEATURE_OUTLIER. */
const FRAGILE_SPEND: SpendVector = [1500, 1200, 0, 0, 0];
/** Not fragile (score 1.0 < θ). */
const CALM_SPEND: SpendVector = [1, 0, 0, 0, 0];

function overwhelming(recordId: string, spend: SpendVector, pModel = 0.999): ScoredRecord {
  return syntheticRecord(recordId, spend, {
    pModel,
    pGlm: pModel,
    ensemble: Array.from({ length: 10 }, () => pModel),
    logitContributions: contributionsFor(pModel, [0.1, 0.05, 0, 0, 0], 0.2),
  });
}

describe("gateBatch — results", () => {
  const policy = syntheticSnapshot();

  it("carries the required fields, provenance (§9) and the policy hash", () => {
    const { results, batch } = gateBatch([overwhelming("a", CALM_SPEND)], policy, { batchId: "b1", now: NOW });
    const r = results[0] as GatingResult;
    expect(r).toMatchObject({ recordId: "a", batchId: "b1", policyId: "synthetic", route: "auto", decision: true, fragile: false, flags: ["SUPER_DOMINANT"], reasons: [] });
    expect(r.policyHash).toMatch(/^[0-9a-f]{64}$/);
    for (const k of ["p10", "p50", "p90", "confidence", "pModel", "fragilityScore", "predictiveWidth"] as const) expect(typeof r[k]).toBe("number");
    const p = r.provenance;
    expect(p).toMatchObject({
      gatingCoreVersion: "1.1.0",
      writtenAt: NOW,
      policy: { id: "synthetic", hash: r.policyHash },
      recordId: "a",
      scorerVersion: "synthetic",
      theta: 1.5,
      route: "auto",
      batch: { batchId: "b1", size: 1, fragileCount: 0, held: false, minSize: 5, auditCount: 0, autoCount: 1 },
      inheritedHold: null,
      cluster: { clusterId: "Earth|TRAPPIST-1e", n: 100 },
    });
    expect(p.spend).toEqual({ RoomService: 1, FoodCourt: 0, ShoppingMall: 0, Spa: 0, VRDeck: 0 });
    expect(p.missingChannels).toEqual({ RoomService: false, FoodCourt: false, ShoppingMall: false, Spa: false, VRDeck: false });
    expect(p.contributions?.capsTriggered).toBe(false);
    expect(p.varComponents).toEqual([{ term: "varBase", source: "snapshot", value: 0.04 }]);
    expect(batch.size).toBe(1);
    expect(GATING_CORE_VERSION).toBe("1.1.0");
  });

  it("provenance keeps copies of the caller's spend and ensemble: changing the input afterwards changes nothing", () => {
    const input = syntheticRecord("a", [1, null, 0, 0, 0], { pModel: 0.9, ensemble: [0.9, 0.8] });
    const { results } = gateBatch([input], policy, { batchId: "b", now: NOW });
    const before = JSON.stringify(results[0]?.provenance);
    (input.spend as Record<string, number | null>).RoomService = 999;
    (input.spend as Record<string, number | null>).FoodCourt = 0;
    (input.ensemble as number[])[0] = 0.1;
    expect(results[0]?.provenance.spend).toEqual({ RoomService: 1, FoodCourt: null, ShoppingMall: 0, Spa: 0, VRDeck: 0 });
    expect(results[0]?.provenance.ensemble).toEqual([0.9, 0.8]);
    expect(JSON.stringify(results[0]?.provenance)).toBe(before);
  });

  it("non-fragile: only CS_ACCEPT applies — missing GLM / ensemble do not matter", () => {
    const confident = syntheticRecord("c", CALM_SPEND, { pModel: 0.95 });
    const unsure = syntheticRecord("u", CALM_SPEND, { pModel: 0.55 });
    const { results } = gateBatch([confident, unsure], policy, { batchId: "b", now: NOW });
    expect(results[0]?.route).toBe("auto");
    expect(results[1]?.route).toBe("audit");
    expect(results[1]?.reasons).toEqual([{ code: "LOW_CONFIDENCE", value: results[1]?.confidence, threshold: 0.6, gates: "accept" }]);
  });

  it("a fragile record alone is never auto: SINGLETON_FRAGILE even when every other check passes", () => {
    // A batch of one is below BATCH_HOLD_MIN_N: never held, though the test itself would say hold
    // (P(X ≥ 1 | 1, 0.04) = 0.04 < 0.05); SINGLETON_FRAGILE sends the record to audit.
    const alone = gateBatch([overwhelming("f", FRAGILE_SPEND)], policy, { batchId: "one", now: NOW });
    expect(alone.batch).toMatchObject({ held: false, holdIndicated: false, minSize: 5, fragileCount: 1, pValue: expect.closeTo(0.04, 12) });
    expect(codes(alone.results[0])).toEqual(["SINGLETON_FRAGILE"]);
    // SINGLETON_FRAGILE closes the n = 1 escape regardless of the binomial guard.
    const lenient = syntheticSnapshot({ thresholds: { BATCH_HOLD_ALPHA: 0.01 } });
    const guarded = gateBatch([overwhelming("f", FRAGILE_SPEND)], lenient, { batchId: "one", now: NOW });
    expect(guarded.batch.held).toBe(false);
    expect(guarded.results[0]?.fragile).toBe(true);
    expect(guarded.results[0]?.route).toBe("audit");
    expect(codes(guarded.results[0])).toEqual(["SINGLETON_FRAGILE"]);
    // The same record with company (20 records, 1 fragile: not held) passes every gate.
    const calm = Array.from({ length: 19 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND));
    const together = gateBatch([overwhelming("f", FRAGILE_SPEND), ...calm], policy, { batchId: "twenty", now: NOW });
    expect(together.batch.held).toBe(false);
    expect(together.results[0]?.fragile).toBe(true);
    expect(together.results[0]?.route).toBe("auto");
  });

  it("fragile checks are all evaluated and recorded in table order, failing closed on missing evidence", () => {
    const expecting = syntheticSnapshot({ contributionsExpected: true });
    const bare = syntheticRecord("f", FRAGILE_SPEND, { pModel: 0.7 });
    const { results } = gateBatch([bare], expecting, { batchId: "b", now: NOW });
    expect(codes(results[0])).toEqual(["SINGLETON_FRAGILE", "CONTRIBUTIONS_MISSING", "GLM_MISSING", "ENSEMBLE_MISSING", "INTERVAL_WIDE", "LOW_CONFIDENCE"]);
    expect(results[0]?.reasons[2]).toEqual({ code: "GLM_MISSING", value: null, threshold: 0.05, gates: "smallBatchFragile" });
    // Without contributionsExpected, absent contributions are not a failure.
    expect(codes(gateBatch([bare], policy, { batchId: "b", now: NOW }).results[0])).not.toContain("CONTRIBUTIONS_MISSING");
  });

  it("disagreement, caps and scaling reasons carry value and threshold", () => {
    const rec = syntheticRecord("f", FRAGILE_SPEND, {
      pModel: 0.999,
      pGlm: 0.8,
      ensemble: [0.999, 0.999, 0.2, 0.999],
      logitContributions: contributionsFor(0.999, [1.0, -0.5, 0.3, 0.2, 0]),
    });
    const calm = Array.from({ length: 19 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND));
    const r = gateBatch([rec, ...calm], policy, { batchId: "b", now: NOW }).results[0];
    expect(r?.flags).toContain("CAPS_TRIGGERED");
    expect(r?.reasons).toEqual([
      { code: "CAPS_TRIGGERED", value: 1, threshold: 0.6, channel: "RoomService" },
      { code: "CAPS_SCALING", value: expect.closeTo(0.4, 12), threshold: 0.25 },
      { code: "GLM_DISAGREE", value: expect.closeTo(0.199, 12), threshold: 0.05, gates: "fragile" },
      { code: "ENSEMBLE_DISAGREE", value: 0.75, threshold: 0.99, gates: "fragile" },
    ]);
  });

  it("a fragile record's confidence is judged against CS, a calm record's against CS_ACCEPT", () => {
    const pModel = 0.9805; // fragile variance 5.74 → confidence ≈ 0.70: above CS_ACCEPT 0.6, below CS 0.8
    const calm = Array.from({ length: 19 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND));
    const r = gateBatch([overwhelming("f", FRAGILE_SPEND, pModel), ...calm], policy, { batchId: "b", now: NOW }).results[0];
    expect(r?.confidence).toBeGreaterThan(0.69);
    expect(r?.confidence).toBeLessThan(0.71);
    expect(r?.reasons.find((x) => x.code === "LOW_CONFIDENCE")).toEqual({ code: "LOW_CONFIDENCE", value: r?.confidence, threshold: 0.8, gates: "fragile" });
    const calmOne = gateBatch([syntheticRecord("c", CALM_SPEND, { pModel: 0.72 })], policy, { batchId: "b", now: NOW }).results[0];
    expect(calmOne?.confidence).toBeGreaterThan(0.6);
    expect(calmOne?.confidence).toBeLessThan(0.8);
    expect(calmOne?.route).toBe("auto");
  });

  it("uses the small-batch gates up to SMALL_BATCH_MAX and the fragile gates above", () => {
    const strictSmall = syntheticSnapshot({ thresholds: { SMALL_BATCH_FRAGILE_GATES: { GLM_GAP_MAX: 0.001 } } });
    const rec = (id: string) => ({ ...overwhelming(id, FRAGILE_SPEND), pGlm: 0.99 }); // gap 0.009
    const small = gateBatch([rec("f"), ...Array.from({ length: 9 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND))], strictSmall, { batchId: "s", now: NOW });
    expect(small.results[0]?.reasons).toEqual([{ code: "GLM_DISAGREE", value: expect.closeTo(0.009, 12), threshold: 0.001, gates: "smallBatchFragile" }]);
    const large = gateBatch([rec("f"), ...Array.from({ length: 19 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND))], strictSmall, { batchId: "l", now: NOW });
    expect(large.results[0]?.route).toBe("auto");
  });

  it("holds a batch with a significant excess of fragile records: every record to audit with BATCH_HOLD", () => {
    const records = [
      ...Array.from({ length: 3 }, (_, i) => overwhelming(`f${i}`, FRAGILE_SPEND)),
      ...Array.from({ length: 7 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND)),
    ];
    const { results, batch } = gateBatch(records, policy, { batchId: "held", now: NOW });
    expect(batch).toMatchObject({ size: 10, fragileCount: 3, fragileFraction: 0.3, held: true, holdIndicated: true, auditCount: 10, autoCount: 0 });
    expect(batch.pValue).toBeCloseTo(0.006213715991870853, 12);
    for (const r of results) {
      expect(r.route).toBe("audit");
      expect(r.reasons[0]).toEqual({ code: "BATCH_HOLD", value: 0.3, threshold: 0.05, pValue: batch.pValue, alpha: 0.05, fragileCount: 3, batchSize: 10, heldBatchId: "held", inherited: false });
    }
    // Two fragile records in ten are within chance (p ≈ 0.058): not held.
    const two = [...records.slice(1), overwhelming("c7", CALM_SPEND)];
    expect(gateBatch(two, policy, { batchId: "x", now: NOW }).batch).toMatchObject({ size: 10, fragileCount: 2, held: false });
    // A recorded human release re-gates without the hold.
    const released = gateBatch(records, policy, { batchId: "held", now: NOW, batchHoldReleased: true });
    expect(released.batch).toMatchObject({ held: false, holdIndicated: true, holdReleased: true });
    expect(released.results.every((r) => !codes(r)?.includes("BATCH_HOLD"))).toBe(true);
    expect(released.results.filter((r) => r.route === "auto")).toHaveLength(10);
    // Re-gated under a new policy, a batch that arrived unheld stays unheld: the test is reported, nothing held.
    const regated = gateBatch(records, policy, { batchId: "held", now: NOW, batchNotHeld: true });
    expect(regated.batch).toMatchObject({ held: false, holdIndicated: true, holdReleased: false, auditCount: 0 });
    expect(regated.results.every((r) => !codes(r)?.includes("BATCH_HOLD"))).toBe(true);
  });

  it("a canary is fragile and audited whatever its score", () => {
    const withCanary = syntheticSnapshot({ canaries: { ids: ["c0"], signatures: [] } });
    const calm = Array.from({ length: 20 }, (_, i) => overwhelming(`c${i}`, CALM_SPEND));
    const r = gateBatch(calm, withCanary, { batchId: "b", now: NOW }).results[0];
    expect(r?.fragile).toBe(true);
    expect(r?.fragilityScore).toBeLessThan(1.5);
    expect(codes(r)).toEqual(["CANARY"]);
  });

  it("rejects an empty or oversized batch (validation refuses these first)", () => {
    expect(() => gateBatch([], policy, { batchId: "b", now: NOW })).toThrow(RangeError);
    const one = overwhelming("a", CALM_SPEND);
    expect(() => gateBatch(Array.from({ length: MAX_BATCH_SIZE + 1 }, () => one), policy, { batchId: "b", now: NOW })).toThrow(/1…10000 records \(got 10001\)/);
    expect(gateBatch(Array.from({ length: MAX_BATCH_SIZE }, (_, i) => ({ ...one, recordId: `a${i}` })), policy, { batchId: "b", now: NOW }).batch.size).toBe(MAX_BATCH_SIZE);
  });
});

describe("gateBatch — batch hold: BATCH_HOLD_MIN_N and holds kept from earlier batches (§6.2)", () => {
  const policy = syntheticSnapshot();
  /** Fragile and not overwhelming: the fragile gates send it to audit on their own. */
  const bareFragile = (id: string) => syntheticRecord(id, FRAGILE_SPEND, { pModel: 0.7 });
  const heldA: InheritedHold = { batchId: "A", size: 10, fragileCount: 3, fragileFraction: 0.3, pValue: 0.0062, threshold: 0.05, alpha: 0.05 };

  it("a batch smaller than BATCH_HOLD_MIN_N is never held; its fragile records still go to audit on the fragile checks", () => {
    const four = gateBatch(Array.from({ length: 4 }, (_, i) => bareFragile(`f${i}`)), policy, { batchId: "four", now: NOW });
    // The test is still run and reported: 4 of 4 fragile is far beyond chance.
    expect(four.batch).toMatchObject({ size: 4, fragileCount: 4, fragileFraction: 1, minSize: 5, holdIndicated: false, held: false, auditCount: 4 });
    expect(four.batch.pValue).toBeCloseTo(0.04 ** 4, 15);
    for (const r of four.results) {
      expect(r.route).toBe("audit");
      expect(codes(r)).not.toContain("BATCH_HOLD");
      expect(codes(r)).toEqual(["GLM_MISSING", "ENSEMBLE_MISSING", "INTERVAL_WIDE", "LOW_CONFIDENCE"]);
    }
    // Five records reach the minimum: the same excess holds the batch.
    const five = gateBatch(Array.from({ length: 5 }, (_, i) => bareFragile(`f${i}`)), policy, { batchId: "five", now: NOW });
    expect(five.batch).toMatchObject({ size: 5, fragileCount: 5, holdIndicated: true, held: true, auditCount: 5 });
    for (const r of five.results) expect(r.reasons[0]).toMatchObject({ code: "BATCH_HOLD", heldBatchId: "five", batchSize: 5, fragileCount: 5 });
    // The minimum is a policy setting: at 4 the batch of four is held, at 1 a lone fragile record is.
    const four4 = gateBatch(Array.from({ length: 4 }, (_, i) => bareFragile(`f${i}`)), syntheticSnapshot({ thresholds: { BATCH_HOLD_MIN_N: 4 } }), { batchId: "four", now: NOW });
    expect(four4.batch.held).toBe(true);
    const single = gateBatch([bareFragile("f")], syntheticSnapshot({ thresholds: { BATCH_HOLD_MIN_N: 1 } }), { batchId: "one", now: NOW });
    expect(codes(single.results[0])?.slice(0, 2)).toEqual(["BATCH_HOLD", "SINGLETON_FRAGILE"]);
  });

  it("a record keeping a hold from an earlier batch goes to audit with BATCH_HOLD naming that batch, in a batch that is not held", () => {
    const records = [overwhelming("kept", CALM_SPEND), overwhelming("other", CALM_SPEND)];
    const plain = gateBatch(records, policy, { batchId: "B", now: NOW });
    expect(plain.results.map((r) => r.route)).toEqual(["auto", "auto"]);
    const { results, batch } = gateBatch(records, policy, { batchId: "B", now: NOW, inheritedHolds: new Map([["kept", heldA]]) });
    expect(batch).toMatchObject({ held: false, holdIndicated: false, auditCount: 1, autoCount: 1 });
    expect(results[0]?.route).toBe("audit");
    expect(results[0]?.reasons).toEqual([
      { code: "BATCH_HOLD", value: 0.3, threshold: 0.05, pValue: 0.0062, alpha: 0.05, fragileCount: 3, batchSize: 10, heldBatchId: "A", inherited: true },
    ]);
    expect(results[0]?.provenance.inheritedHold).toEqual(heldA);
    expect(results[0]?.provenance.reasons).toBe(results[0]?.reasons);
    // Everything else about the result is its own.
    const { reasons: _a, route: _b, provenance: pa, ...own } = results[0]!;
    const { reasons: _c, route: _d, provenance: pb, ...alone } = plain.results[0]!;
    expect(own).toEqual(alone);
    expect({ ...pa, reasons: [], route: "auto", inheritedHold: null, batch: null }).toEqual({ ...pb, batch: null });
    expect(results[1]).toMatchObject({ route: "auto", reasons: [], provenance: { inheritedHold: null } });
  });

  it("the new result still gets its own checks, and its fragility counts in the new batch's hold test", () => {
    const holds = new Map([
      ["frag", heldA],
      ["unsure", heldA],
    ]);
    const alone = gateBatch([bareFragile("frag")], policy, { batchId: "B", now: NOW, inheritedHolds: holds });
    expect(codes(alone.results[0])).toEqual(["BATCH_HOLD", "SINGLETON_FRAGILE", "GLM_MISSING", "ENSEMBLE_MISSING", "INTERVAL_WIDE", "LOW_CONFIDENCE"]);
    expect(alone.batch.fragileCount).toBe(1);
    const unsure = gateBatch([syntheticRecord("unsure", CALM_SPEND, { pModel: 0.55 })], policy, { batchId: "B", now: NOW, inheritedHolds: holds });
    expect(codes(unsure.results[0])).toEqual(["BATCH_HOLD", "LOW_CONFIDENCE"]);
    // In a batch that is held on its own, its own hold is the reason; provenance still shows the kept one.
    const five = gateBatch(["frag", "f1", "f2", "f3", "f4"].map(bareFragile), policy, { batchId: "C", now: NOW, inheritedHolds: holds });
    expect(five.batch).toMatchObject({ held: true, fragileCount: 5 });
    expect(five.results[0]?.reasons.filter((r) => r.code === "BATCH_HOLD")).toEqual([expect.objectContaining({ heldBatchId: "C", inherited: false, batchSize: 5 })]);
    expect(five.results[0]?.provenance.inheritedHold).toEqual(heldA);
  });

  it("releasing the new batch's own hold does not lift a hold kept from another batch", () => {
    const records = [bareFragile("kept"), ...["f1", "f2", "f3", "f4"].map(bareFragile)];
    const released = gateBatch(records, policy, { batchId: "C", now: NOW, batchHoldReleased: true, inheritedHolds: new Map([["kept", heldA]]) });
    expect(released.batch).toMatchObject({ holdIndicated: true, held: false, holdReleased: true });
    expect(released.results[0]?.reasons[0]).toMatchObject({ code: "BATCH_HOLD", heldBatchId: "A", inherited: true });
    for (const r of released.results.slice(1)) expect(codes(r)).not.toContain("BATCH_HOLD");
  });
});

// ---------------------------------------------------------------------------------------
// §10 properties on the real reference data
// ---------------------------------------------------------------------------------------

interface PolicyParams {
  theta: number;
  csAccept: number;
  alpha: number;
  batchThreshold: number;
  capsAlpha: number;
  small: FragileGates;
  large: FragileGates;
  contributionsExpected: boolean;
}

const unit = fc.double({ min: 0, max: 1, noNaN: true });
// Biased toward lenient gates sometimes, so fragile records do get released and tightening has something to bite on.
const gatesArb = fc.record({
  GLM_GAP_MAX: fc.oneof(unit, fc.constant(1)),
  ENSEMBLE_AGREEMENT_MIN: fc.oneof(unit, fc.constant(0)),
  INTERVAL_WIDTH_MAX: fc.oneof(unit, fc.constant(1)),
  CONFIDENCE_MIN: unit,
});

const paramsArb: fc.Arbitrary<PolicyParams> = fc
  .record({
    theta: fc.double({ min: 0, max: 5, noNaN: true }),
    csAcceptShare: unit,
    alpha: fc.oneof(unit, fc.constant(1)),
    batchThreshold: unit,
    capsAlpha: unit,
    small: gatesArb,
    large: gatesArb,
    contributionsExpected: fc.boolean(),
  })
  .map(({ csAcceptShare, ...p }) => ({ ...p, csAccept: csAcceptShare * Math.min(p.small.CONFIDENCE_MIN, p.large.CONFIDENCE_MIN) }));

function policyWith(p: PolicyParams): PolicySnapshot {
  const base = referenceSnapshot();
  return {
    ...base,
    theta: p.theta,
    csAccept: p.csAccept,
    contributionsExpected: p.contributionsExpected,
    thresholds: {
      ...base.thresholds,
      BATCH_HOLD_ALPHA: p.alpha,
      BATCH_FRAGILE_THRESHOLD: p.batchThreshold,
      CAPS_SCALING_ALPHA: p.capsAlpha,
      SMALL_BATCH_FRAGILE_GATES: p.small,
      FRAGILE_GATES: p.large,
    },
  };
}

/** Tightens a random subset of the §10 parameters, keeping the policy valid (CS ≥ CS_ACCEPT). */
const tightenArb = (p: PolicyParams): fc.Arbitrary<PolicyParams> =>
  fc
    .record({
      which: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      f: fc.array(unit, { minLength: 12, maxLength: 12 }),
    })
    .map(({ which, f }) => {
      const up = (x: number, t: number) => x + (1 - x) * t; // raise toward 1
      const down = (x: number, t: number) => x * (1 - t); // lower toward 0
      const tightenGates = (g: FragileGates, i: number): FragileGates => ({
        GLM_GAP_MAX: which[0] ? down(g.GLM_GAP_MAX, f[i] as number) : g.GLM_GAP_MAX,
        ENSEMBLE_AGREEMENT_MIN: which[1] ? up(g.ENSEMBLE_AGREEMENT_MIN, f[i + 1] as number) : g.ENSEMBLE_AGREEMENT_MIN,
        INTERVAL_WIDTH_MAX: which[2] ? down(g.INTERVAL_WIDTH_MAX, f[i + 2] as number) : g.INTERVAL_WIDTH_MAX,
        CONFIDENCE_MIN: which[3] ? up(g.CONFIDENCE_MIN, f[i + 3] as number) : g.CONFIDENCE_MIN,
      });
      const small = tightenGates(p.small, 0);
      const large = tightenGates(p.large, 4);
      return {
        ...p,
        small,
        large,
        csAccept: which[4] ? up(p.csAccept, f[8] as number) : p.csAccept,
        alpha: which[5] ? up(p.alpha, f[9] as number) : p.alpha,
        capsAlpha: which[6] ? down(p.capsAlpha, f[10] as number) : p.capsAlpha,
        theta: which[7] ? p.theta - 3 * (f[11] as number) : p.theta,
        batchThreshold: which[8] ? down(p.batchThreshold, f[10] as number) : p.batchThreshold,
      };
    })
    .map((t) => ({ ...t, csAccept: Math.min(t.csAccept, Math.min(t.small.CONFIDENCE_MIN, t.large.CONFIDENCE_MIN)) }));

describe("§10 properties", () => {
  it("determinism and order independence: shuffling a batch only permutes the results", () => {
    const policy = referenceSnapshot();
    fc.assert(
      fc.property(
        batchArb(40).chain((records) => fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }))),
        ([records, shuffled]) => {
          const a = gateBatch(records, policy, { batchId: "b", now: NOW });
          const again = gateBatch(records, policy, { batchId: "b", now: NOW });
          expect(JSON.stringify(again)).toBe(JSON.stringify(a));
          const b = gateBatch(shuffled, policy, { batchId: "b", now: NOW });
          expect(JSON.stringify(b.batch)).toBe(JSON.stringify(a.batch));
          const byId = new Map(a.results.map((r) => [r.recordId, JSON.stringify(r)]));
          expect(b.results.map((r) => r.recordId)).toEqual(shuffled.map((r) => r.recordId));
          for (const r of b.results) expect(JSON.stringify(r)).toBe(byId.get(r.recordId));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("gateBatch's inlined steps agree with assessRecord and computeInterval", () => {
    const policy = referenceSnapshot();
    const compiled = compilePolicy(policy);
    fc.assert(
      fc.property(batchArb(20), (records) => {
        const { results } = gateBatch(records, compiled, { batchId: "b", now: NOW });
        results.forEach((r, i) => {
          const rec = records[i] as ScoredRecord;
          const a = assessRecord(rec, compiled);
          expect(r.flags).toEqual(a.flags);
          expect(r.fragilityScore).toBe(a.fragilityScore);
          expect(r.provenance.topology).toEqual(a.topology);
          const iv = computeInterval(rec.pModel, rec.varBase, a.topology.missingChannelCount, a.topology.missingContextCount, r.fragile, a.flagMask, compiled);
          expect([r.p10, r.p50, r.p90, r.confidence, r.provenance.varCombined]).toEqual([iv.p10, iv.p50, iv.p90, iv.confidence, iv.varCombined]);
          expect(r.provenance.varComponents).toEqual(iv.varComponents);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("tightening never releases: raising A, CS, CS_ACCEPT, BATCH_HOLD_ALPHA or lowering δ, QW, CAPS_SCALING_ALPHA, θ, BATCH_FRAGILE_THRESHOLD turns no audit into auto", () => {
    let autos = 0;
    let audits = 0;
    let newlyAudited = 0;
    fc.assert(
      fc.property(
        paramsArb.chain((p) => fc.tuple(fc.constant(p), tightenArb(p))),
        batchArb(25),
        ([loose, tight], records) => {
          const looseSnapshot = policyWith(loose);
          const tightSnapshot = policyWith(tight);
          expect(validatePolicySnapshot(tightSnapshot).ok).toBe(true);
          const before = gateBatch(records, looseSnapshot, { batchId: "b", now: NOW }).results;
          const after = gateBatch(records, tightSnapshot, { batchId: "b", now: NOW }).results;
          before.forEach((r, i) => {
            // Stronger than the route: every reason recorded before is still recorded after.
            expect(codes(after[i])).toEqual(expect.arrayContaining(codes(r) ?? []));
            if (r.route === "audit") {
              audits++;
              expect(after[i]?.route).toBe("audit");
            } else {
              autos++;
              if (after[i]?.route === "audit") newlyAudited++;
            }
          });
        },
      ),
      { numRuns: 150 },
    );
    // Not vacuous: the generator produces both routes, and tightening does bite.
    expect(autos).toBeGreaterThan(50);
    expect(audits).toBeGreaterThan(50);
    expect(newlyAudited).toBeGreaterThan(0);
  });

  it("a batch of one fragile record is never auto, for every valid policy", () => {
    let fragileSeen = 0;
    const rows = referenceRows();
    fc.assert(
      fc.property(paramsArb, fc.integer({ min: 0, max: rows.length - 1 }), scoreFieldsArb, (p, i, scores) => {
        const snapshot = policyWith(p);
        const record = scoredFromRow(rows[i] as (typeof rows)[number], scores);
        const r = gateBatch([record], snapshot, { batchId: "one", now: NOW }).results[0];
        if (!r?.fragile) return;
        fragileSeen++;
        expect(r.route).toBe("audit");
        expect(codes(r)).toContain("SINGLETON_FRAGILE");
      }),
      { numRuns: 400 },
    );
    expect(fragileSeen).toBeGreaterThan(20);
  });
});
