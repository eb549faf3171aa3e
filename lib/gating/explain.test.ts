import { describe, expect, it } from "vitest";
import { describeReasonDetail, explainResult } from "./explain";
import { gateBatch } from "./gate-batch";
import { FLAG_CODES, FLAG_MEANINGS, REASON_CODES, REASON_EXPLANATIONS } from "./reasons";
import type { GatingReason } from "./routing";
import { overwhelmingScores, referenceRow, referenceSnapshot, scoredFromRow } from "./reference-data.test-support";

describe("vocabularies", () => {
  it("every flag and reason code has a one-line text", () => {
    for (const f of FLAG_CODES) expect(FLAG_MEANINGS[f]).toMatch(/^[A-Z].+\.$/);
    for (const r of REASON_CODES) expect(REASON_EXPLANATIONS[r]).toMatch(/^[A-Z].+\.$/);
    expect(REASON_EXPLANATIONS.CANARY).toBe("This record matches a registered failure case.");
    expect(REASON_CODES).toHaveLength(12);
    expect(FLAG_CODES).toHaveLength(10);
  });
});

describe("explainResult", () => {
  it("says why the canary 0257_01 goes to audit, in plain lines", () => {
    const { results } = gateBatch([scoredFromRow(referenceRow("0257_01"), { pModel: 0.81 })], referenceSnapshot(), { batchId: "demo", now: "t" });
    const lines = explainResult(results[0]!);
    expect(lines[0]).toMatch(/^Route: audit — \d+ reasons\.$/);
    expect(lines).toContain("Decision the machine would release: positive (p50 0.81).");
    expect(lines.some((l) => l.startsWith("Fragile: yes — registered canary (id:0257_01)"))).toBe(true);
    expect(lines).toContain(`Flag SUPER_DOMINANT: ${FLAG_MEANINGS.SUPER_DOMINANT}`);
    expect(lines).toContain("CANARY: This record matches a registered failure case. (matched id:0257_01)");
    expect(lines.some((l) => l.startsWith("GLM_MISSING: The fallback GLM score is missing."))).toBe(true);
    expect(lines.some((l) => l.includes("1 missing (ShoppingMall)"))).toBe(true);
    expect(lines.some((l) => l.startsWith("Cluster Mars|55 Cancri e: N = 193"))).toBe(true);
    expect(lines.some((l) => l.startsWith("Variance ") && l.includes("for SUPER_DOMINANT") && l.includes("for 1 missing spend channel"))).toBe(true);
    expect(lines.some((l) => l.startsWith("Batch demo: 1 record, 1 fragile"))).toBe(true);
  });

  it("an auto result says every check passed", () => {
    const { results } = gateBatch([scoredFromRow(referenceRow("0001_01"), overwhelmingScores())], referenceSnapshot(), { batchId: "b", now: "t" });
    expect(results[0]?.route).toBe("auto");
    expect(explainResult(results[0]!)[0]).toBe("Route: auto — every applicable check passed.");
  });

  it("names a hold kept from an earlier batch, and a batch too small to be held", () => {
    const kept = { batchId: "held-7", size: 10, fragileCount: 3, fragileFraction: 0.3, pValue: 0.0062, threshold: 0.05, alpha: 0.05 };
    const { results } = gateBatch([scoredFromRow(referenceRow("0001_01"), overwhelmingScores())], referenceSnapshot(), {
      batchId: "b",
      now: "t",
      inheritedHolds: new Map([["0001_01", kept]]),
    });
    const lines = explainResult(results[0]!);
    expect(lines).toContain(
      `BATCH_HOLD: ${REASON_EXPLANATIONS.BATCH_HOLD} (kept from held batch held-7 (an earlier result of this record): 3 of 10 fragile (30 % ≥ 5 %), P(X ≥ 3) = 0.0062 < α 0.05)`,
    );
    expect(lines.some((l) => l.startsWith("Batch b: 1 record, 0 fragile (0 %), not held (smaller than BATCH_HOLD_MIN_N 5)"))).toBe(true);
    expect(lines.some((l) => l.startsWith("Hold kept from batch held-7, which holds an earlier result of this record and was not released: 3 of 10 fragile"))).toBe(true);
    // A reason stored before gating core 1.1.0 has neither heldBatchId nor inherited.
    const old = { code: "BATCH_HOLD", value: 0.3, threshold: 0.05, pValue: 0.0062, alpha: 0.05, fragileCount: 3, batchSize: 10 } as unknown as GatingReason;
    expect(describeReasonDetail(old)).toBe("3 of 10 fragile (30 % ≥ 5 %), P(X ≥ 3) = 0.0062 < α 0.05");
  });

  it("details name value and bar", () => {
    expect(describeReasonDetail({ code: "GLM_DISAGREE", value: 0.123456, threshold: 0.05, gates: "fragile" })).toBe("|pModel − pGlm| = 0.123 > δ 0.05");
    expect(describeReasonDetail({ code: "LOW_CONFIDENCE", value: 0.5, threshold: 0.6, gates: "accept" })).toBe("confidence 0.5 < CS_ACCEPT 0.6 (bar for non-fragile records)");
  });
});
