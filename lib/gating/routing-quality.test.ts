import { describe, expect, it } from "vitest";
import type { FlagCode, ReasonCode } from "./reasons";
import { clopperPearsonUpper } from "./release-guarantee";
import { queueYield, routingQuality, routingQualityOf, routingTallies, type LabelledRouting } from "./routing-quality";

/** One record: its route, whether the machine was right, its p50 and reasons. */
function item(route: "auto" | "audit", right: boolean, p50: number, reasonCodes: ReasonCode[] = [], flags: FlagCode[] = [], errorEstimate?: number): LabelledRouting {
  const decision = p50 >= 0.5;
  return { route, decision, label: right ? decision : !decision, p50, reasonCodes, flags, errorEstimate, canary: reasonCodes.includes("CANARY") };
}

describe("§11 routing quality", () => {
  // 10 records, 4 model errors. The policy audits 3: one error caught by LOW_CONFIDENCE
  // alone, one error caught by CANARY and LOW_CONFIDENCE, one correct record held for
  // SINGLETON_FRAGILE.
  const items: LabelledRouting[] = [
    item("audit", false, 0.55, ["LOW_CONFIDENCE"]),
    item("audit", false, 0.45, ["CANARY", "LOW_CONFIDENCE"], ["AGGREGATE_MEDIUM_HIGH"]),
    item("audit", true, 0.99, ["SINGLETON_FRAGILE"], ["SUPER_DOMINANT"]),
    item("auto", false, 0.52),
    item("auto", false, 0.42, [], ["SUPER_DOMINANT"]),
    item("auto", true, 0.9),
    item("auto", true, 0.95),
    item("auto", true, 0.05),
    item("auto", true, 0.1),
    item("auto", true, 0.8),
  ];
  const q = routingQuality(items);

  it("counts audit share, error capture, released error rate with its bound, and lift", () => {
    expect(q).toMatchObject({ records: 10, errors: 4, baseErrorRate: 0.4, audited: 3, auditShare: 0.3, caught: 2, errorCapture: 0.5, released: 7, releasedErrors: 2 });
    expect(q.releasedErrorRate).toBeCloseTo(2 / 7, 12);
    expect(q.releasedErrorUpper).toBe(clopperPearsonUpper(2, 7));
    expect(q.lift).toBeCloseTo(0.5 / 0.3, 12);
  });

  it("per reason: records, errors and errors no other reason would have caught", () => {
    expect(q.byReason.LOW_CONFIDENCE).toEqual({ records: 2, audited: 2, errors: 2, caught: 2, caughtAlone: 1 });
    expect(q.byReason.CANARY).toEqual({ records: 1, audited: 1, errors: 1, caught: 1, caughtAlone: 0 });
    expect(q.byReason.SINGLETON_FRAGILE).toEqual({ records: 1, audited: 1, errors: 0, caught: 0, caughtAlone: 0 });
  });

  it("per flag: records, those audited, errors, and errors caught", () => {
    expect(q.byFlag.SUPER_DOMINANT).toEqual({ records: 2, audited: 1, errors: 1, caught: 0, caughtAlone: null });
    expect(q.byFlag.AGGREGATE_MEDIUM_HIGH).toEqual({ records: 1, audited: 1, errors: 1, caught: 1, caughtAlone: null });
  });

  it("compares with auditing the same share by the model's own confidence, and with the oracle", () => {
    // The 3 least confident: p50 0.52, then the tie 0.55 / 0.45 (input order): all errors.
    expect(q.baseline.caught).toBe(3);
    expect(q.baseline.errorCapture).toBe(0.75);
    expect(q.baseline.releasedErrorRate).toBeCloseTo(1 / 7, 12);
    expect(q.oracle.errorCapture).toBeCloseTo(0.75, 12);
  });

  it("draws the baseline's risk–coverage curve and puts the policy on the same axes", () => {
    expect(q.riskCoverage).toHaveLength(20);
    expect(q.riskCoverage[19]).toEqual({ coverage: 1, risk: 0.4 });
    // Coverage 70 %: the 7 most confident records, which hold 1 error.
    expect(q.riskCoverage[13]!.coverage).toBeCloseTo(0.7, 12);
    expect(q.riskCoverage[13]!.risk).toBeCloseTo(1 / 7, 12);
    expect(q.operatingPoint.coverage).toBeCloseTo(0.7, 12);
    expect(q.operatingPoint.risk).toBeCloseTo(2 / 7, 12);
  });

  it("has no error capture or lift without errors, and a released rate of null without releases", () => {
    const clean = routingQuality([item("auto", true, 0.9), item("audit", true, 0.6, ["LOW_CONFIDENCE"])]);
    expect(clean.errorCapture).toBeNull();
    expect(clean.lift).toBeNull();
    expect(clean.oracle.errorCapture).toBeNull();
    const allAudited = routingQuality([item("audit", false, 0.6, ["LOW_CONFIDENCE"])]);
    expect(allAudited.releasedErrorRate).toBeNull();
    expect(allAudited.releasedErrorUpper).toBe(1);
  });
});

describe("§11 routing quality from tallies of confidence bands", () => {
  it("takes the baseline's records pro rata within the band where the audited share ends", () => {
    const t = routingTallies([item("audit", false, 0.55, ["LOW_CONFIDENCE"]), item("auto", true, 0.9), item("auto", true, 0.95), item("auto", false, 0.92)]);
    // Two bands: confidence ~0.55 (1 record, 1 error) and ~0.9 (3 records, 1 error).
    const banded = routingQualityOf({ ...t, byConfidence: [{ confidence: 0.55, records: 1, errors: 1 }, { confidence: 0.91, records: 3, errors: 1 }] });
    expect(banded.baseline.caught).toBe(1);
    // Coverage 50 % releases 2 records of the 0.9 band: 2/3 of its error.
    expect(banded.riskCoverage[9]!.risk).toBeCloseTo(1 / 3, 12);
    // Every count but the baseline and the curve is the exact one.
    const exact = routingQualityOf(t);
    expect({ ...banded, baseline: null, riskCoverage: null }).toEqual({ ...exact, baseline: null, riskCoverage: null });
    // The exact tallies order by confidence: coverage 50 % releases 0.95 and 0.92 (1 error).
    expect(exact.riskCoverage[9]!.risk).toBe(0.5);
  });
});

describe("§11 queue yield: what the audit-priority order finds first", () => {
  it("puts canaries first, then orders by the error estimate, against ordering by confidence", () => {
    const queue = [
      item("audit", true, 0.52, ["LOW_CONFIDENCE"], [], 0.1),
      item("audit", false, 0.7, ["LOW_CONFIDENCE"], [], 0.9),
      item("audit", true, 0.95, ["CANARY"], [], 0.01),
      item("audit", false, 0.6, ["LOW_CONFIDENCE"], [], 0.5),
      item("auto", false, 0.99, [], [], 0.99),
    ];
    const [half] = queueYield(queue, [0.5]);
    // Half of 4 = 2: by estimate the canary, then the 0.9 error → 1 error;
    // by confidence the canary, then 0.52 (correct) → 0 errors.
    expect(half).toEqual({ share: 0.5, byEstimate: 1, byConfidence: 0, errorsInQueue: 2 });
  });
});
