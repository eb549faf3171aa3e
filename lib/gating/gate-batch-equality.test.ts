/**
 * The fast gate against the eager implementation it replaced
 * (gate-batch-reference.test-support.ts): every result, its provenance and the batch summary
 * serialise to the same JSON, byte for byte, on the real data and on generated records.
 * Kept until the reference implementation is removed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import type { InheritedHold } from "./batch-hold";
import { gateBatch, type GateBatchOptions } from "./gate-batch";
import { gateBatchReference } from "./gate-batch-reference.test-support";
import { AUDIT_PRIORITY_FEATURES } from "./audit-priority";
import { batchArb, referenceSnapshot } from "./reference-data.test-support";
import type { PolicySnapshot, ScoredRecord } from "./schemas";
import { parsePolicySnapshot } from "./validation";

const NOW = "2026-01-01T00:00:00.000Z";

/** The JSON of both implementations' output for one batch; the fast one is serialised first, so its provenance is built lazily from a result already routed. */
function bothOutputs(records: readonly ScoredRecord[], policy: PolicySnapshot, options: GateBatchOptions): [string, string] {
  const fast = JSON.stringify(gateBatch(records, policy, options));
  return [fast, JSON.stringify(gateBatchReference(records, policy, options))];
}

/** Gates `records` in batches of the given sizes (cycled) with both implementations and compares each batch. */
function expectSameInBatches(records: readonly ScoredRecord[], policy: PolicySnapshot, sizes: readonly number[], options: Omit<GateBatchOptions, "batchId"> = { now: NOW }) {
  let compared = 0;
  for (let offset = 0, b = 0; offset < records.length; b++) {
    const size = sizes[b % sizes.length] as number;
    const batch = records.slice(offset, offset + size);
    const [fast, reference] = bothOutputs(batch, policy, { ...options, batchId: `b${b}` });
    expect(fast, `batch ${b} (records ${offset}…${offset + batch.length - 1})`).toBe(reference);
    compared += batch.length;
    offset += size;
  }
  return compared;
}

/** The committed policy with a fitted-looking audit-priority model (the committed one uses the model's own confidence), so the estimate reads every topology figure. */
function withAuditPriority(policy: PolicySnapshot): PolicySnapshot {
  const k = AUDIT_PRIORITY_FEATURES.length;
  const auditPriority = {
    features: [...AUDIT_PRIORITY_FEATURES],
    mean: Array.from({ length: k }, (_, i) => (i % 5) / 10),
    scale: Array.from({ length: k }, (_, i) => 0.5 + (i % 3)),
    coef: Array.from({ length: k }, (_, i) => ((i % 7) - 3) / 4),
    intercept: -1.2,
  };
  return parsePolicySnapshot({ ...structuredClone(policy), id: "with-audit-priority", auditPriority });
}

/** The committed policy with a canary signature bounding entropy and Gini (the fast pass computes them only when something reads them). */
function withShapeCanary(policy: PolicySnapshot): PolicySnapshot {
  const signatures = [...policy.canaries.signatures, { name: "even-spread", where: { entropy: { gte: 1.2 }, gini: { lte: 0.3 } } }];
  return parsePolicySnapshot({ ...structuredClone(policy), id: "with-shape-canary", canaries: { ...policy.canaries, signatures } });
}

const HOLD: InheritedHold = { batchId: "held-earlier", size: 40, fragileCount: 12, fragileFraction: 0.3, threshold: 0.05, alpha: 0.05, pValue: 0.0001 };

describe("gateBatch equals the eager reference implementation", () => {
  const policy = readPolicyFile();
  const scored = scoredReferenceData();

  it("on all 8,693 real rows as scored, under the committed policy, in batch sizes 1 to 1,000", () => {
    expect(scored).toHaveLength(8693);
    const compared = expectSameInBatches(scored, policy, [1, 1000, 7, 250, 2, 500, 31]);
    expect(compared).toBe(8693);
  });

  it("on the real rows with upstream pGlm, missing evidence and an upstream varBase, held and released batches", () => {
    // Every third record loses its ensemble, every fifth its contributions, every seventh gets pGlm from upstream, every eleventh a varBase.
    const varied = scored.map((r, i): ScoredRecord => {
      const copy: ScoredRecord = { ...r };
      if (i % 3 === 0) delete copy.ensemble;
      if (i % 5 === 0) delete copy.logitContributions;
      if (i % 7 === 0) copy.pGlm = Math.min(1, r.pModel + 0.04);
      if (i % 11 === 0) copy.varBase = 0.3;
      return copy;
    });
    expect(expectSameInBatches(varied, policy, [1000, 3, 120])).toBe(8693);
    expect(expectSameInBatches(varied.slice(0, 3000), policy, [1000], { now: NOW, batchHoldReleased: true })).toBe(3000);
    expect(expectSameInBatches(varied.slice(3000, 5000), policy, [1000], { now: NOW, batchNotHeld: true })).toBe(2000);
    const inheritedHolds = new Map(varied.slice(0, 2000).filter((_, i) => i % 13 === 0).map((r) => [r.recordId, HOLD] as const));
    expect(expectSameInBatches(varied.slice(0, 2000), policy, [1, 999, 1000], { now: NOW, inheritedHolds })).toBe(2000);
  });

  it("on the real rows under a policy with an audit-priority model, and one with a canary on entropy and Gini", () => {
    expect(expectSameInBatches(scored, withAuditPriority(policy), [1000, 17])).toBe(8693);
    const shapeCanary = withShapeCanary(policy);
    expect(expectSameInBatches(scored, shapeCanary, [1000])).toBe(8693);
    const matched = gateBatch(scored.slice(0, 1000), shapeCanary, { batchId: "shape", now: NOW }).results.filter((r) => r.reasons.some((x) => x.code === "CANARY"));
    expect(matched.some((r) => r.provenance.canaryMatches.includes("signature:even-spread"))).toBe(true);
  });

  it("on at least 10,000 generated records, under the committed policy, the test reference policy, and ones with an audit-priority model or a canary on entropy and Gini", () => {
    const policies = [policy, referenceSnapshot(), withAuditPriority(policy), withShapeCanary(policy)];
    let records = 0;
    fc.assert(
      fc.property(batchArb(60), fc.integer({ min: 0, max: 3 }), fc.constantFrom<"plain" | "released" | "inherited">("plain", "released", "inherited"), (batch, p, mode) => {
        const options: GateBatchOptions = {
          batchId: "generated",
          now: NOW,
          batchHoldReleased: mode === "released",
          inheritedHolds: mode === "inherited" ? new Map([[batch[0]!.recordId, HOLD]]) : undefined,
        };
        const [fast, reference] = bothOutputs(batch, policies[p]!, options);
        records += batch.length;
        return fast === reference;
      }),
      { numRuns: 2000, seed: 2112 },
    );
    expect(records, `${records} records`).toBeGreaterThanOrEqual(10_000);
  });

  it("a result's provenance is built once, on first read, and agrees with the result's own figures", () => {
    const out = gateBatch(scored.slice(0, 50), policy, { batchId: "lazy", now: NOW });
    for (const r of out.results) {
      const p = r.provenance;
      expect(r.provenance).toBe(p);
      expect([p.recordId, p.route, p.reasons, p.fragile, p.fragilityScore, p.flags, p.p10, p.p50, p.p90, p.confidence, p.errorEstimate, p.pGlm]).toEqual([
        r.recordId,
        r.route,
        r.reasons,
        r.fragile,
        r.fragilityScore,
        r.flags,
        r.p10,
        r.p50,
        r.p90,
        r.confidence,
        r.errorEstimate,
        r.pGlm,
      ]);
    }
  });
});
