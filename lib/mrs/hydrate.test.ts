import { describe, expect, it } from "vitest";
import { ANALYST, LEAD, T0, attributionRow, cause, clusteredRow, cohortRow, detectedRow, endedRow, entry, plus, rowsOf } from "./fixtures.test-support";
import { hydrateReports } from "./hydrate";
import { eventId } from "./ids";

const d = detectedRow();
const id = d.reportId;
const asOf = plus(T0, 24 * 60);
const one = (rows: Parameters<typeof hydrateReports>[0], entries: Parameters<typeof hydrateReports>[1] = []) => {
  const reports = hydrateReports(rows, entries, asOf);
  expect(reports).toHaveLength(1);
  return reports[0]!;
};

describe("hydrated report (spec §3)", () => {
  it("keys and metadata prefer clustered; windowStart from detected; windowEnd from ended", () => {
    const r = one(
      rowsOf({
        detected: [d],
        clustered: [clusteredRow(id, { retailer: "Tesco Express", city: null })],
        ended: [endedRow(id, { windowEnd: "2025-08-12T06:00:00.000Z" }), endedRow(id, { windowEnd: "2025-08-12T08:00:00+01:00", writtenAt: plus(T0, 90) })],
        cohort: [cohortRow(id)],
      }),
    );
    expect(r).toMatchObject({ storeId: "S-001", sku: "SKU-1", retailer: "Tesco Express", city: "London", clusterId: "CL-1", isClustered: true });
    expect(r.windowStart).toBe("2025-08-11T07:00:00.000Z");
    // The latest ended row wins, normalised to UTC milliseconds.
    expect(r.windowEnd).toBe("2025-08-12T07:00:00.000Z");
    expect(r).toMatchObject({ reportGroupId: "G-1", eventId: eventId("G-1"), cohortSize: 1 });
  });

  it("takes the latest detected version's totals", () => {
    const r = one(rowsOf({ detected: [detectedRow({ actual: 2000, uplift: 1000, writtenAt: plus(T0, 60) }), d] }));
    expect(r).toMatchObject({ actual: 2000, uplift: 1000, baseline: 1000, detectedAt: T0 });
  });

  it("attribution comes from the latest row by writtenAt; ties go to the larger attributionRunId in any order", () => {
    const early = attributionRow(id, { attributionRunId: "attr-9", cause_1: cause("marketing_misattribution", "Campaign Spend"), confidence_1: 0.55, writtenAt: plus(T0, 30) });
    const late = attributionRow(id, { attributionRunId: "attr-1", writtenAt: plus(T0, 60) });
    expect(one(rowsOf({ detected: [d], attribution: [late, early] }))).toMatchObject({ causeLabel_1: "TikTok Viral", confidence_1: 0.72, attributionRunId: "attr-1" });
    const tieA = attributionRow(id, { attributionRunId: "attr-a", confidence_1: 0.4 });
    const tieB = attributionRow(id, { attributionRunId: "attr-b", confidence_1: 0.6 });
    expect(one(rowsOf({ attribution: [tieA, tieB] })).confidence_1).toBe(0.6);
    expect(one(rowsOf({ attribution: [tieB, tieA] })).confidence_1).toBe(0.6);
  });

  it("multi-candidate attribution is flat _1/_2/_3 columns, never arrays", () => {
    const r = one(rowsOf({ detected: [d], attribution: [attributionRow(id, { cause_3: cause("promotion", "Promo"), confidence_3: 0.1 })] }));
    expect(r).toMatchObject({
      causeCategory_1: "social_viral",
      causeLabel_1: "TikTok Viral",
      confidence_1: 0.72,
      causeCategory_2: "marketing_misattribution",
      causeLabel_2: "Campaign Spend",
      confidence_2: 0.2,
      causeCategory_3: "promotion",
      causeLabel_3: "Promo",
      confidence_3: 0.1,
      confidenceTier: "high",
    });
    const arrays = Object.entries(r).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
    expect(arrays.sort()).toEqual(["analystEvidence", "machineEvidence"]);
  });

  it("analyst decisions supersede the machine cause in the view only; both stay visible", () => {
    const rows = rowsOf({ detected: [d], clustered: [clusteredRow(id)], attribution: [attributionRow(id)], cohort: [cohortRow(id)] });
    const override = entry({
      action: "override",
      after: { status: "decided", cause: cause("data_error", "Till fault") },
      reasonCode: "data_issue",
      reasonText: "ops",
      evidence: ["https://ops.example.com/1"],
      effectiveAt: plus(T0, 120),
    });
    const r = one(rows, [override]);
    expect(r).toMatchObject({
      causeCategory_1: "social_viral",
      causeLabel_1: "TikTok Viral",
      confidence_1: 0.72,
      analystStatus: "decided",
      analystCauseCategory: "data_error",
      analystCauseLabel: "Till fault",
      analystAction: "override",
      analystActorType: "user",
      analystActorId: ANALYST.id,
      analystActorRole: "analyst",
      analystReasonCode: "data_issue",
      analystEvidence: ["https://ops.example.com/1"],
      causeCategory: "data_error",
      causeLabel: "Till fault",
      causeSource: "analyst",
      decidedOn: "event",
      displayStatus: "decided",
    });
    // Without the entry the machine's cause shows.
    expect(one(rows)).toMatchObject({ causeCategory: "social_viral", causeLabel: "TikTok Viral", causeSource: "machine", analystStatus: "open", decidedOn: null });
  });

  it("a later entry on the report itself refines its event's decision for that report", () => {
    const rows = rowsOf({ detected: [d], attribution: [attributionRow(id)], cohort: [cohortRow(id)] });
    const onEvent = entry({ action: "confirm", after: { status: "decided", cause: cause("social_viral", "TikTok Viral") }, effectiveAt: plus(T0, 100) });
    const onReport = entry({
      subjectType: "report",
      subjectId: id,
      action: "override",
      after: { status: "decided", cause: cause("data_error", "Duplicate feed") },
      reasonCode: "data_issue",
      reasonText: "this store's feed doubled",
      actor: LEAD,
      effectiveAt: plus(T0, 110),
    });
    expect(one(rows, [onReport, onEvent])).toMatchObject({ analystCauseLabel: "Duplicate feed", decidedOn: "report", analystActorRole: "lead" });
    // Entries on other subjects do not apply.
    expect(one(rows, [{ ...onReport, subjectId: "MR-0000000000000000" }])).toMatchObject({ analystCauseLabel: null, analystStatus: "open" });
  });

  it("writtenAt is the greatest of the contributing rows and entries", () => {
    const rows = rowsOf({ detected: [d], attribution: [attributionRow(id, { writtenAt: plus(T0, 300) })], cohort: [cohortRow(id)] });
    expect(one(rows).writtenAt).toBe(plus(T0, 300));
    expect(one(rows, [entry({ action: "note", reasonText: "n", effectiveAt: plus(T0, 400) })]).writtenAt).toBe(plus(T0, 400));
  });

  it("missing sources give null columns, never a failure", () => {
    const onlyAttribution = one(rowsOf({ attribution: [attributionRow(id)] }));
    expect(onlyAttribution).toMatchObject({ storeId: null, retailer: null, sku: null, windowStart: null, windowEnd: null, baseline: null, reportGroupId: null, eventId: null, clusterId: null, isClustered: false });
    const onlyDetected = one(rowsOf({ detected: [d] }));
    expect(onlyDetected).toMatchObject({
      attributionState: "missing",
      causeCategory_1: "unknown",
      causeLabel_1: null,
      confidence_1: null,
      causeCategory_2: null,
      confidence_2: null,
      confidenceTier: null,
      causeCategory: "unknown",
      windowEnd: null,
      isClustered: false,
    });
  });

  it("a failed attribution (unknown, null confidence) shows unknown; an unconfident one keeps its confidence", () => {
    const failed = one(rowsOf({ detected: [d], clustered: [clusteredRow(id)], attribution: [attributionRow(id, { cause_1: cause("unknown", "Attribution failed"), confidence_1: null, cause_2: null, confidence_2: null })] }));
    expect(failed).toMatchObject({ attributionState: "failed", causeCategory_1: "unknown", causeLabel_1: null, confidence_1: null });
    const weak = one(rowsOf({ detected: [d], clustered: [clusteredRow(id)], attribution: [attributionRow(id, { cause_1: cause("unknown", "No cause proposed"), confidence_1: 0.12, cause_2: null, confidence_2: null })] }));
    expect(weak).toMatchObject({ attributionState: "proposed", causeCategory_1: "unknown", causeLabel_1: "No cause proposed", confidence_1: 0.12, confidenceTier: "low" });
    // A day later (past the 4 h SLO): the failed one is degraded, the unconfident one is not (spec §6, MR-UK-005).
    expect(failed).toMatchObject({ isDegraded: true, overdueAttribution: true, displayStatus: "open:degraded" });
    expect(weak).toMatchObject({ isDegraded: false, overdueAttribution: false, displayStatus: "open" });
  });

  it("a report's event is its latest cohort row", () => {
    const r = one(rowsOf({ detected: [d], cohort: [cohortRow(id, "G-1"), cohortRow(id, "G-2", { writtenAt: plus(T0, 500), cohortSize: 3 })] }));
    expect(r).toMatchObject({ reportGroupId: "G-2", eventId: eventId("G-2"), cohortSize: 3 });
  });
});
