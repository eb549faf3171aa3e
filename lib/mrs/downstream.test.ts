import { describe, expect, it } from "vitest";
import { downstreamTreatment, downstreamWindows } from "./downstream";
import { cause, cohortRow, detectedRow, entry, fullReport, LEAD, mergeRows, plus, rowsOf, T0 } from "./fixtures.test-support";
import { eventId } from "./ids";
import { viewAsOf } from "./replay";

describe("downstream treatment (seed 004: protect MAB/MMM from distorted windows)", () => {
  it("excludes wrong figures, reweights real but atypical windows, and needs nothing for a dismissed one", () => {
    expect(downstreamTreatment({ analystStatus: "finalised", analystOutcome: "false_positive", causeCategory: "promotion" })).toBe("exclude");
    expect(downstreamTreatment({ analystStatus: "decided", analystOutcome: null, causeCategory: "data_error" })).toBe("exclude");
    expect(downstreamTreatment({ analystStatus: "open", analystOutcome: null, causeCategory: "social_viral" })).toBe("reweight");
    expect(downstreamTreatment({ analystStatus: "finalised", analystOutcome: "approved", causeCategory: "competitor_stockout" })).toBe("reweight");
    expect(downstreamTreatment({ analystStatus: "finalised", analystOutcome: "dismissed", causeCategory: "promotion" })).toBeNull();
  });

  it("lists one window per detected report with the people's decision, open ones provisional, in window-start order; a report not detected has no window yet", () => {
    const later = detectedRow({ storeId: "S-LATE", windowStart: "2025-08-11T09:00:00.000Z" });
    const rows = mergeRows(
      fullReport("S-002", "G-1", { windowStart: "2025-08-11T08:00:00.000Z" }),
      fullReport("S-001", "G-1", { windowStart: "2025-08-11T07:00:00.000Z" }),
      fullReport("S-003", "G-2", { windowStart: "2025-08-11T07:30:00.000Z" }),
      rowsOf({ cohort: [cohortRow("MR-00000000000000ff", "G-2")] }),
      rowsOf({ detected: [later] }),
    );
    const finalise = entry({ action: "finalise", actor: LEAD, after: { status: "finalised", outcome: "false_positive", cause: cause("data_error", "Till fault") }, reasonCode: "data_issue", effectiveAt: plus(T0, 200) });
    const view = viewAsOf(rows, [finalise], plus(T0, 300));
    const windows = downstreamWindows(view.reports);
    expect(windows.map((w) => w.storeId)).toEqual(["S-001", "S-003", "S-002", "S-LATE"]);
    const byStore = Object.fromEntries(windows.map((w) => [w.storeId, w]));
    expect(byStore["S-001"]).toMatchObject({ eventId: eventId("G-1"), status: "finalised", outcome: "false_positive", treatment: "exclude", provisional: false, cause: { category: "data_error", label: "Till fault", source: "analyst" } });
    expect(byStore["S-003"]).toMatchObject({ eventId: eventId("G-2"), status: "open", treatment: "reweight", provisional: true, cause: { category: "social_viral", source: "machine" } });
    expect(byStore["S-LATE"]).toMatchObject({ eventId: null, windowEnd: null });
    expect(windows.some((w) => w.reportId === "MR-00000000000000ff")).toBe(false);
  });
});
