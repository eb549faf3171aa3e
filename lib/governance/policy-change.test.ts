import { describe, expect, it } from "vitest";
import { gateBatch, GatingValidationError } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { applyPolicyEdits, EDITABLE_GROUPS, policyDiff, signatureMatchCounts, valueAt } from "./policy-change";

const base = readPolicyFile();

function fieldErrorsOf(edit: () => unknown): Record<string, string[]> {
  try {
    edit();
  } catch (error) {
    if (error instanceof GatingValidationError) return error.fieldErrors;
    throw error;
  }
  throw new Error("the edit was accepted");
}

describe("policy edits", () => {
  it("makes a new snapshot named by its content hash, leaving the base as it was", () => {
    const raised = applyPolicyEdits(base, { values: { "thresholds.TARGET_FRAGILE_RATE": 0.05 } });
    expect(raised.thresholds.TARGET_FRAGILE_RATE).toBe(0.05);
    expect(raised.id).toMatch(/^policy-[0-9a-f]{16}$/);
    expect(raised.id).not.toBe(base.id);
    expect(base.thresholds.TARGET_FRAGILE_RATE).toBe(0.04);
    // The same edit names the same snapshot; editing it back names the base's content.
    expect(applyPolicyEdits(base, { values: { "thresholds.TARGET_FRAGILE_RATE": 0.05 } }).id).toBe(raised.id);
    expect(applyPolicyEdits(raised, { values: { "thresholds.TARGET_FRAGILE_RATE": 0.04 } }).id).toBe(applyPolicyEdits(base, { values: {} }).id);
  });

  it("every editable field names a number of the snapshot", () => {
    for (const field of EDITABLE_GROUPS.flatMap((g) => g.fields)) expect(typeof valueAt(base, field.path), field.path).toBe("number");
  });

  it("refuses a value out of range, CS under CS_ACCEPT and an unknown flag in a signature, naming the field", () => {
    expect(fieldErrorsOf(() => applyPolicyEdits(base, { values: { "thresholds.TARGET_FRAGILE_RATE": 1.5 } }))).toHaveProperty(["thresholds.TARGET_FRAGILE_RATE"]);
    const cs = fieldErrorsOf(() => applyPolicyEdits(base, { values: { csAccept: 0.999, "thresholds.FRAGILE_GATES.CONFIDENCE_MIN": 0.9 } }));
    expect(Object.keys(cs).join(" ")).toMatch(/FRAGILE_GATES\.CONFIDENCE_MIN|csAccept/);
    const signature = { name: "bad", allFlags: ["NOT_A_FLAG"] } as never;
    expect(Object.keys(fieldErrorsOf(() => applyPolicyEdits(base, { values: {}, canaries: { ids: [], signatures: [signature] } }))).join(" ")).toMatch(/^canaries\.signatures\[0\]\.allFlags/);
    expect(() => applyPolicyEdits(base, { values: { "statistics.global.n": 1 } })).toThrow(/not an editable field/);
  });
});

describe("policy diff", () => {
  it("says nothing between a snapshot and itself", () => {
    expect(policyDiff(base, base)).toEqual([]);
  });

  it("names each changed number with its change, and canaries added and retired", () => {
    const next = applyPolicyEdits(base, {
      values: { "thresholds.TARGET_FRAGILE_RATE": 0.05, "thresholds.KAPPA_FLAGS.SUPER_DOMINANT": 2.5, theta: base.theta + 0.5 },
      canaries: { ids: [...base.canaries.ids.slice(1), "9999_01"], signatures: base.canaries.signatures.slice(1) },
    });
    const diff = policyDiff(base, next);
    expect(diff).toContainEqual({ section: "Thresholds", name: "TARGET_FRAGILE_RATE", before: "0.04", after: "0.05", change: "+0.01 (+25 %)" });
    expect(diff.find((l) => l.name === "KAPPA_FLAGS.SUPER_DOMINANT")).toMatchObject({ section: "κ", before: "2.1", after: "2.5" });
    expect(diff.find((l) => l.name === "theta")!.change).toMatch(/^\+0\.5/);
    expect(diff).toContainEqual(expect.objectContaining({ section: "Canaries", name: "id 9999_01", change: "added" }));
    expect(diff).toContainEqual(expect.objectContaining({ section: "Canaries", name: `id ${base.canaries.ids[0]}`, change: "retired" }));
    expect(diff).toContainEqual(expect.objectContaining({ section: "Canaries", name: `signature ${base.canaries.signatures[0]!.name}`, change: "retired" }));
    // Nothing else moved.
    expect(diff).toHaveLength(6);
  });
});

describe("the signature editor's count", () => {
  it("counts each signature's matches as gating records them in provenance", () => {
    const records = scoredReferenceData().slice(0, 3000);
    const counts = signatureMatchCounts(records, base);
    expect(counts.map((c) => c.name)).toEqual(base.canaries.signatures.map((s) => s.name));
    // Gating names the same matches (an id match aside) in each result's provenance.
    const gated = records.flatMap((r, i) => gateBatch(records.slice(i, i + 1), base, { batchId: "b", now: "t" }).results);
    for (const c of counts) expect(c.matches).toBe(gated.filter((g) => g.provenance.canaryMatches.includes(`signature:${c.name}`)).length);
    expect(counts.some((c) => c.matches > 0)).toBe(true);
    // A signature bounded to nothing matches nothing.
    const narrowed = applyPolicyEdits(base, { values: {}, canaries: { ids: base.canaries.ids, signatures: [{ name: "none", allFlags: ["SUPER_DOMINANT", "IMPUTED_ZERO_ALL"] }] } });
    expect(signatureMatchCounts(records, narrowed)).toEqual([{ name: "none", matches: 0 }]);
  });
});
