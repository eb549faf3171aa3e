/**
 * `npm run eval:routing`'s figures on the shipped data and policy (spec/gating.md §11):
 * the released error rate of the test part stays under the policy's target, and the seed's
 * failure records under new ids reach audit as canaries.
 */
import { describe, expect, it } from "vitest";
import { loadReferenceScorer, readPolicyFile, referenceRows } from "@/lib/reference-data";
import { evaluateRouting } from "./evaluate-routing";

describe("routing evaluation of the shipped policy", () => {
  const evaluation = evaluateRouting(referenceRows(), readPolicyFile(), loadReferenceScorer());

  it("evaluates the test part in batches of 1, 10 and 100, released error ≤ target in each", () => {
    expect(evaluation.part).toBe("test");
    expect(evaluation.records).toBeGreaterThan(1500);
    expect(evaluation.runs.map((r) => r.batchSize)).toEqual([1, 10, 100]);
    for (const run of evaluation.runs) {
      expect(run.quality.records).toBe(evaluation.records);
      expect(run.quality.releasedErrorRate!).toBeLessThanOrEqual(evaluation.policy.targetReleaseError);
      expect(run.quality.baseline.errorCapture).not.toBeNull();
    }
    expect(evaluation.capsTriggeredShare).toBeLessThanOrEqual(0.1);
  });

  it("sends every seed-shaped record under a new id to audit as CANARY", () => {
    expect(evaluation.seedShaped).toHaveLength(9);
    for (const s of evaluation.seedShaped) {
      expect(s.recordId.startsWith("99")).toBe(true);
      expect(s).toMatchObject({ route: "audit", canary: true });
    }
  });
});
