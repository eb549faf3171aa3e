import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoredReferenceData } from "@/lib/reference-data";
import { plainScoredBatch, plainScoredRecord } from "./plain-batch";
import { batchArb } from "./reference-data.test-support";
import { scoredBatchSchema, scoredRecordSchema } from "./schemas";
import { validateScoredBatch } from "./validation";

/** Equal as zod returns it: same values, same undefined-valued keys, same key order. */
function expectSameAsSchema(fast: unknown, input: unknown, schema: typeof scoredRecordSchema | typeof scoredBatchSchema) {
  const parsed = schema.safeParse(input);
  expect(parsed.success).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
}

/** One field of a valid record made invalid (or odd) in each of the ways ingest sees. */
const breakages: Record<string, (r: Record<string, unknown>) => void> = {
  negativeSpend: (r) => ((r.spend as Record<string, unknown>).Spa = -1),
  nanSpend: (r) => ((r.spend as Record<string, unknown>).Spa = Number.NaN),
  infiniteSpend: (r) => ((r.spend as Record<string, unknown>).Spa = Number.POSITIVE_INFINITY),
  textSpend: (r) => ((r.spend as Record<string, unknown>).Spa = "12"),
  arraySpend: (r) => (r.spend = [1, 2]),
  protoKey: (r) => (r.spend = JSON.parse('{"__proto__": 1, "Spa": 2}')),
  contextObject: (r) => ((r.context as Record<string, unknown>).Cabin = { deck: "F" }),
  contextInfinite: (r) => ((r.context as Record<string, unknown>).Age = Number.POSITIVE_INFINITY),
  pModelText: (r) => (r.pModel = "0.5"),
  pModelAboveOne: (r) => (r.pModel = 1.5),
  pModelMissing: (r) => delete r.pModel,
  pGlmAboveOne: (r) => (r.pGlm = 1.01),
  ensembleText: (r) => (r.ensemble = [0.5, "0.6"]),
  ensembleObject: (r) => (r.ensemble = { 0: 0.5 }),
  unknownField: (r) => (r.label = true),
  recordIdBad: (r) => (r.recordId = "a b"),
  recordIdLong: (r) => (r.recordId = "x".repeat(129)),
  clusterIdEmpty: (r) => (r.clusterId = ""),
  clusterIdLong: (r) => (r.clusterId = "c".repeat(257)),
  scorerVersionEmpty: (r) => (r.scorerVersion = ""),
  varBaseNegative: (r) => (r.varBase = -0.1),
  notAdditive: (r) => (r.logitContributions = { base: 5, byFeature: { Spa: 1 } }),
  emptyFeatureName: (r) => (r.logitContributions = { base: 0, byFeature: { "": 0 } }),
  contributionsExtraKey: (r) => (r.logitContributions = { base: 0, byFeature: {}, total: 0 }),
  // Valid, and kept as zod keeps them:
  optionalUndefined: (r) => Object.assign(r, { pGlm: undefined, varBase: undefined, clusterId: undefined }),
  nullPGlm: (r) => (r.pGlm = null),
  clusterIdSet: (r) => (r.clusterId = "Earth|TRAPPIST-1e"),
  negativeZeroSpend: (r) => ((r.spend as Record<string, unknown>).Spa = -0),
};

let scoredRows: ReturnType<typeof scoredReferenceData> | null = null;
/** The real rows scored once for this file (scoring takes seconds). */
const realRows = () => (scoredRows ??= scoredReferenceData());

describe("plainScoredBatch: the hand-written check agrees with the schema", () => {
  it("accepts every real row as scored and returns exactly what the schema returns", () => {
    const records = JSON.parse(JSON.stringify(realRows())) as unknown[];
    for (let o = 0; o < records.length; o += 1000) {
      const input = { batchId: `real-${o}`, records: records.slice(o, o + 1000) };
      const fast = plainScoredBatch(input);
      expect(fast).not.toBeNull();
      expectSameAsSchema(fast, input, scoredBatchSchema);
    }
  });

  it("on generated records, valid or broken in one field: null, or the schema's own value; never a record the schema refuses", () => {
    let accepted = 0;
    fc.assert(
      fc.property(batchArb(5), fc.constantFrom(...Object.keys(breakages), "none"), fc.nat(4), (batch, breakage, index) => {
        const records = JSON.parse(JSON.stringify(batch)) as Record<string, unknown>[];
        const target = records[index % records.length]!;
        if (breakage !== "none") breakages[breakage]!(target);
        const input = { batchId: "generated", records };
        const fast = plainScoredBatch(input);
        const parsed = scoredBatchSchema.safeParse(input);
        if (breakage === "none") expect(fast).not.toBeNull();
        if (fast === null) return;
        accepted++;
        expect(parsed.success, `the schema refuses what the check accepted (${breakage})`).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 1500, seed: 77 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it("refuses each breakage on its own, so the schema runs and names the field", () => {
    const valid = JSON.parse(JSON.stringify(realRows()[0])) as Record<string, unknown>;
    for (const [name, breakRecord] of Object.entries(breakages)) {
      const r = structuredClone(valid);
      breakRecord(r);
      const schemaAccepts = scoredRecordSchema.safeParse(r).success;
      const fast = plainScoredRecord(r);
      if (schemaAccepts && name !== "protoKey") expectSameAsSchema(fast, r, scoredRecordSchema);
      else expect(fast, name).toBeNull();
    }
  });

  it("validateScoredBatch still names the field of a broken record (the schema's message)", () => {
    const r = JSON.parse(JSON.stringify(realRows()[0])) as Record<string, unknown>;
    (r.spend as Record<string, unknown>).Spa = -1;
    const outcome = validateScoredBatch({ batchId: "b", records: [r] }, { channels: ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"] });
    expect(outcome).toEqual({ ok: false, errors: [{ path: "records[0].spend.Spa", message: "must be a number ≥ 0 or null" }] });
  });
});
