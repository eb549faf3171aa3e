import { describe, expect, it } from "vitest";
import { gateBatch } from "./gate-batch";
import type { CanarySignature } from "./schemas";
import { syntheticRecord, syntheticSnapshot } from "./synthetic-policy.test-support";

const NOW = "2026-01-01T00:00:00.000Z";

function gateOne(signature: CanarySignature, spend: Parameters<typeof syntheticRecord>[1]) {
  const policy = syntheticSnapshot({ canaries: { ids: [], signatures: [signature] } });
  const [result] = gateBatch([syntheticRecord("new_01", spend, { pModel: 0.999 })], policy, { batchId: "b", now: NOW }).results;
  return result!;
}

describe("§6.1 canary signatures over every topology field", () => {
  const dominantBesideMissing: CanarySignature = {
    name: "dominant-beside-missing",
    where: { missingChannelCount: { gte: 1 }, top1Share: { gte: 0.99 }, top1Channel: { in: ["RoomService", "Spa"] } },
  };

  it("matches a new id by top1Channel and the missing-channel count, and sends it to audit as CANARY", () => {
    const r = gateOne(dominantBesideMissing, [1664, 0, null, 0, 0]);
    expect(r.provenance.canaryMatches).toEqual(["signature:dominant-beside-missing"]);
    expect(r.fragile).toBe(true);
    expect(r.route).toBe("audit");
    expect(r.reasons[0]?.code).toBe("CANARY");
  });

  it("does not match another dominant channel, or the same shape without a missing channel", () => {
    expect(gateOne(dominantBesideMissing, [0, 1664, null, 0, 0]).provenance.canaryMatches).toEqual([]);
    expect(gateOne(dominantBesideMissing, [1664, 0, 0, 0, 0]).provenance.canaryMatches).toEqual([]);
  });

  it("null in top1Channel matches a record with no spend at all", () => {
    const nothing: CanarySignature = { name: "no-spend", where: { top1Channel: { in: [null] } } };
    expect(gateOne(nothing, [0, 0, null, 0, 0]).provenance.canaryMatches).toEqual(["signature:no-spend"]);
    expect(gateOne(nothing, [5, 0, null, 0, 0]).provenance.canaryMatches).toEqual([]);
  });
});
