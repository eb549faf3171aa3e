import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compiled-policy";
import { gateBatch } from "./gate-batch";
import { canonicalJson, computeSnapshotHash } from "./snapshot-hash";
import { syntheticRecord, syntheticSnapshot } from "./synthetic-policy.test-support";

describe("snapshot content hash", () => {
  it("canonical JSON sorts keys at every depth, drops undefined, writes −0 as 0", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined }, e: -0 })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1,"e":0}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
  });

  it("is sha256 over the canonical JSON without the id", () => {
    const s = syntheticSnapshot();
    const { id: _id, ...content } = s;
    expect(computeSnapshotHash(s)).toBe(createHash("sha256").update(canonicalJson(content)).digest("hex"));
    expect(computeSnapshotHash(s)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is deterministic, independent of key order and of the id; changes with any content", () => {
    const s = syntheticSnapshot();
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
    expect(computeSnapshotHash(reordered)).toBe(computeSnapshotHash(s));
    expect(computeSnapshotHash({ ...s, id: "other" })).toBe(computeSnapshotHash(s));
    expect(computeSnapshotHash({ ...s, theta: s.theta + 1e-12 })).not.toBe(computeSnapshotHash(s));
    const changed = structuredClone(s);
    changed.thresholds.KAPPA_FLAGS.SUPER_DOMINANT = 2.2;
    expect(computeSnapshotHash(changed)).not.toBe(computeSnapshotHash(s));
  });

  it("the compiled policy and every result carry it", () => {
    const s = syntheticSnapshot();
    const hash = computeSnapshotHash(s);
    expect(compilePolicy(s).hash).toBe(hash);
    const records = [
      syntheticRecord("calm", [1, 0, 0, 0, 0], { pModel: 0.9 }),
      syntheticRecord("fragile", [1500, 1200, 0, 0, 0], { pModel: 0.7 }),
      syntheticRecord("missing", [null, null, 5, 0, 0], { pModel: 0.2 }),
    ];
    const { results } = gateBatch(records, s, { batchId: "b", now: "t" });
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.policyHash).toBe(hash);
      expect(r.policyId).toBe("synthetic");
      expect(r.provenance.policy).toEqual({ id: "synthetic", hash });
    }
    // Another snapshot's results carry its own hash.
    const other = syntheticSnapshot({ theta: 2 });
    const otherHash = computeSnapshotHash(other);
    expect(otherHash).not.toBe(hash);
    for (const r of gateBatch(records, other, { batchId: "b", now: "t" }).results) expect([r.policyHash, r.provenance.policy.hash]).toEqual([otherHash, otherHash]);
  });
});
